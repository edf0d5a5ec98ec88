// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadDoeConfig } from './config/doe.config.js';

let config;
try {
  config = loadDoeConfig(process.env);
} catch (error) {
  console.error(`doe: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('doe', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runService } = await import('@vista/service-host');
const { DoeModule } = await import('./app.module.js');
const { DOE_SCHEMA } = await import('./config/doe.config.js');
const { doeMigrations } = await import('./migrations/doe.migrations.js');
await runService({ name: 'doe', schema: DOE_SCHEMA, migrations: doeMigrations(DOE_SCHEMA), module: DoeModule.forRoot(config), config, tracing, command: process.argv[2] });
