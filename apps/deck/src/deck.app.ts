import { NestFactory } from '@nestjs/core';
import { createDatabase, migrateSchema } from '@vista/db';
import { NamespacedNatsServer } from '@vista/bus';
import { NestLogger } from '@vista/telemetry';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { DeckModule } from './app.module.js';
import { DECK_SCHEMA, type DeckConfig } from './config/deck.config.js';
import { deckMigrations } from './migrations/deck.migrations.js';

/** Migrates the deck schema; then (unless only migrating) serves commands, health and metrics. */
export async function runDeck(config: DeckConfig, tracing: TracingHandle, command?: string): Promise<void> {
  const db = createDatabase({ url: config.DATABASE_URL, poolMax: 1, applicationName: 'vista-deck-migrate' });
  try {
    await migrateSchema(db, DECK_SCHEMA, deckMigrations(DECK_SCHEMA));
  } finally {
    await db.destroy();
  }
  if (command === 'migrate') {
    await tracing.shutdown();
    return;
  }

  const app = await NestFactory.create(DeckModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(NestLogger));
  app.connectMicroservice(
    {
      strategy: new NamespacedNatsServer(config.VISTA_BUS_NAMESPACE, {
        servers: config.NATS_URL.split(','),
        name: 'deck-commands',
        queue: 'deck',
        gracefulShutdown: true,
        gracePeriod: 2_000,
        maxReconnectAttempts: -1,
      }),
    },
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  app.get(NestLogger).log(`deck listening on http://${config.HTTP_HOST}:${config.HTTP_PORT}`);
  process.once('beforeExit', () => void tracing.shutdown());
}
