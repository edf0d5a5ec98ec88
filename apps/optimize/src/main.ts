// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadOptimizeConfig } from './config/optimize.config.js';

let config;
try {
  config = loadOptimizeConfig(process.env);
} catch (error) {
  console.error(`optimize: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('optimize', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runService } = await import('@vista/service-host');
const { OptimizeModule } = await import('./app.module.js');
const { OPTIMIZE_SCHEMA } = await import('./config/optimize.config.js');
const { optimizeMigrations } = await import('./migrations/optimize.migrations.js');
await runService({ name: 'optimize', schema: OPTIMIZE_SCHEMA, migrations: optimizeMigrations(OPTIMIZE_SCHEMA), module: OptimizeModule.forRoot(config), config, tracing, command: process.argv[2] });
