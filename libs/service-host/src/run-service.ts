import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NamespacedNatsServer } from '@vista/bus';
import { createDatabase, type MigrationSet, migrateSchema } from '@vista/db';
import { NestLogger } from '@vista/telemetry';
import type { TracingHandle } from '@vista/telemetry/tracing';
import type { ServiceSettings } from './service-environment.js';

export interface RunServiceOptions {
  readonly name: string;
  readonly schema: string;
  readonly migrations: MigrationSet;
  readonly module: DynamicModule;
  readonly config: ServiceSettings;
  readonly tracing: TracingHandle;
  /** `migrate`: migrate the schema and exit. */
  readonly command?: string;
}

/** Migrates the service's schema; then (unless only migrating) serves its commands (queue group = name), health and metrics. */
export async function runService(options: RunServiceOptions): Promise<void> {
  const { name, schema, config, tracing } = options;
  const db = createDatabase({ url: config.DATABASE_URL, poolMax: 1, applicationName: `vista-${name}-migrate` });
  try {
    await migrateSchema(db, schema, options.migrations);
  } finally {
    await db.destroy();
  }
  if (options.command === 'migrate') {
    await tracing.shutdown();
    return;
  }

  const app = await NestFactory.create(options.module, { bufferLogs: true });
  app.useLogger(app.get(NestLogger));
  app.connectMicroservice(
    {
      strategy: new NamespacedNatsServer(config.VISTA_BUS_NAMESPACE, {
        servers: config.NATS_URL.split(','),
        name: `${name}-commands`,
        queue: name,
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
  app.get(NestLogger).log(`${name} listening on http://${config.HTTP_HOST}:${config.HTTP_PORT}`);
  process.once('beforeExit', () => void tracing.shutdown());
}
