// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { load__Name__Config } from './config/__name__.config.js';

let config;
try {
  config = load__Name__Config(process.env);
} catch (error) {
  console.error(`__name__: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('__name__', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { run__Name__ } = await import('./__name__.app.js');
await run__Name__(config, tracing, process.argv[2]);
