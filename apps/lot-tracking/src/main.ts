// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadLotTrackingConfig } from './config/lot-tracking.config.js';

let config;
try {
  config = loadLotTrackingConfig(process.env);
} catch (error) {
  console.error(`lot-tracking: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('lot-tracking', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runLotTracking } = await import('./lot-tracking.app.js');
await runLotTracking(config, tracing, process.argv[2], process.argv.slice(3));
