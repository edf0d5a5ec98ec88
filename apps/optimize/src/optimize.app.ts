import { runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { OptimizeModule } from './app.module.js';
import { OPTIMIZE_SCHEMA, type OptimizeConfig } from './config/optimize.config.js';
import { optimizeMigrations } from './migrations/optimize.migrations.js';

/** Migrates the optimize schema; then (unless only migrating) runs the service. */
export function runOptimize(config: OptimizeConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({ name: 'optimize', schema: OPTIMIZE_SCHEMA, migrations: optimizeMigrations(OPTIMIZE_SCHEMA), module: OptimizeModule.forRoot(config), config, tracing, command });
}
