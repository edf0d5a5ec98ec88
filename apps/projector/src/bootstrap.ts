import type { INestApplication } from '@nestjs/common';
import { readModelMigrations } from '@vista/read-model';
import { createServiceApp, migrateService, runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { AppModule, SERVICE_NAME } from './app.module.js';
import type { ProjectorConfig } from './config/projector.config.js';

/** How the projector runs on the service host: it owns the `read` schema and answers the rebuild command over NATS. */
const hostOptions = (config: ProjectorConfig) => ({
  name: SERVICE_NAME,
  module: AppModule.forRoot(config),
  config,
  schema: config.READ_SCHEMA,
  migrations: readModelMigrations(config.READ_SCHEMA),
});

/** Creates or updates the read schema; returns the migrations that ran. */
export function migrateReadModel(config: ProjectorConfig): Promise<string[]> {
  return migrateService(hostOptions(config));
}

/** Builds the application: HTTP (health, metrics) and the NATS command server, not yet listening. */
export function createProjectorApp(config: ProjectorConfig): Promise<INestApplication> {
  return createServiceApp(hostOptions(config));
}

/** Migrates the read schema; then (unless only migrating) folds events and serves until SIGTERM/SIGINT. */
export function runProjector(config: ProjectorConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({ ...hostOptions(config), tracing, command });
}
