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
const { runOptimize } = await import('./optimize.app.js');
await runOptimize(config, tracing, process.argv[2]);
