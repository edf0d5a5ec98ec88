import { runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { MlModule } from './app.module.js';
import { ML_SCHEMA, type MlConfig } from './config/ml.config.js';
import { mlMigrations } from './migrations/ml.migrations.js';

/** Migrates the ml schema; then (unless only migrating) runs the service. */
export function runMl(config: MlConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({ name: 'ml', schema: ML_SCHEMA, migrations: mlMigrations(ML_SCHEMA), module: MlModule.forRoot(config), config, tracing, command });
}
