// Tracing must start before Nest, express or pg are imported, so only the configuration and the
// tracing entry point are imported statically and the application is loaded afterwards.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadGatewayConfig } from './config/gateway.config.js';

let config;
try {
  config = loadGatewayConfig(process.env);
} catch (error) {
  console.error(`gateway: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('gateway', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runGateway } = await import('./app.factory.js');
await runGateway(config, tracing, process.argv[2]);
