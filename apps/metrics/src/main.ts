// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadMetricsConfig } from './config/metrics.config.js';

let config;
try {
  config = loadMetricsConfig(process.env);
} catch (error) {
  console.error(`metrics: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('metrics', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runMetrics } = await import('./metrics.app.js');
await runMetrics(config, tracing, process.argv[2], process.argv.slice(3));
