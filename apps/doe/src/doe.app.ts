import { runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { DoeModule } from './app.module.js';
import { DOE_SCHEMA, type DoeConfig } from './config/doe.config.js';
import { doeMigrations } from './migrations/doe.migrations.js';

/** Migrates the doe schema; then (unless only migrating) runs the service. */
export function runDoe(config: DoeConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({ name: 'doe', schema: DOE_SCHEMA, migrations: doeMigrations(DOE_SCHEMA), module: DoeModule.forRoot(config), config, tracing, command });
}
