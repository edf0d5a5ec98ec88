// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadAuthConfig } from './config/auth.config.js';

let config;
try {
  config = loadAuthConfig(process.env);
} catch (error) {
  console.error(`auth: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('auth', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runAuth } = await import('./auth.app.js');
await runAuth(config, tracing, process.argv[2]);
