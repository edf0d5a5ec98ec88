// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadMlConfig } from './config/ml.config.js';

let config;
try {
  config = loadMlConfig(process.env);
} catch (error) {
  console.error(`ml: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('ml', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runService } = await import('@vista/service-host');
const { MlModule } = await import('./app.module.js');
const { ML_SCHEMA } = await import('./config/ml.config.js');
const { mlMigrations } = await import('./migrations/ml.migrations.js');
await runService({ name: 'ml', schema: ML_SCHEMA, migrations: mlMigrations(ML_SCHEMA), module: MlModule.forRoot(config), config, tracing, command: process.argv[2] });
