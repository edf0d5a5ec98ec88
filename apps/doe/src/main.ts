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
const { runDoe } = await import('./doe.app.js');
await runDoe(config, tracing, process.argv[2]);
