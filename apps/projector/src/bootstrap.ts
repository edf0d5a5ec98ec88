import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { NamespacedNatsServer } from '@vista/bus';
import { createDatabase, migrateSchema } from '@vista/db';
import { NestLogger, type TracingHandle } from '@vista/telemetry';
import { AppModule, SERVICE_NAME } from './app.module.js';
import type { ProjectorConfig } from './config/projector.config.js';
import { readModelMigrations } from '@vista/read-model';

/** Creates or updates the read schema; returns the migrations that ran. */
export async function migrateReadModel(config: ProjectorConfig): Promise<string[]> {
  const db = createDatabase({ url: config.DATABASE_URL, poolMax: 1, applicationName: `${SERVICE_NAME}-migrate` });
  try {
    return await migrateSchema(db, config.READ_SCHEMA, readModelMigrations(config.READ_SCHEMA));
  } finally {
    await db.destroy();
  }
}

/** Builds the application: HTTP (health, metrics) and the NATS command server, not yet listening. */
export async function createProjectorApp(config: ProjectorConfig, tracing?: TracingHandle): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, tracing), { bufferLogs: true });
  app.useLogger(app.get(NestLogger));
  app.enableShutdownHooks();
  app.connectMicroservice<MicroserviceOptions>(
    {
      strategy: new NamespacedNatsServer(config.VISTA_BUS_NAMESPACE, {
        servers: config.NATS_URL.split(','),
        name: `${SERVICE_NAME}-commands`,
        queue: SERVICE_NAME,
        maxReconnectAttempts: -1,
      } as never),
    },
    { inheritAppConfig: true },
  );
  return app;
}

/** Migrates, then serves until SIGTERM/SIGINT, which drains the consumer and closes connections. */
export async function serve(config: ProjectorConfig, tracing?: TracingHandle): Promise<INestApplication> {
  const migrated = await migrateReadModel(config);
  const app = await createProjectorApp(config, tracing);
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const logger = new Logger(SERVICE_NAME);
  if (migrated.length > 0) logger.log(`migrated "${config.READ_SCHEMA}": ${migrated.join(', ')}`);
  logger.log(`listening on http://${config.HTTP_HOST}:${config.HTTP_PORT}`);
  return app;
}
