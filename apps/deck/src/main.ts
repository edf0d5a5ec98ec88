// Tracing must start before Nest, express or pg are imported, so the app is loaded dynamically.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadDeckConfig } from './config/deck.config.js';

let config;
try {
  config = loadDeckConfig(process.env);
} catch (error) {
  console.error(`deck: ${(error as Error).message}`);
  process.exit(1);
}
const tracing = startTracing('deck', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { runDeck } = await import('./deck.app.js');
await runDeck(config, tracing, process.argv[2]);
