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
const { runMl } = await import('./ml.app.js');
await runMl(config, tracing, process.argv[2]);
