// Tracing must start before anything it instruments (http, express, pg) is imported, so this file
// imports only what reading the tracing settings needs; the rest loads afterwards.
import { loadEnvironment } from '@vista/contracts';
import { startTracing } from '@vista/telemetry/tracing';
import { ProjectorEnvironment } from './config/projector.environment.js';

function stop(error: unknown): never {
  process.stderr.write(`projector: ${(error as Error).message}\n`);
  process.exit(1);
}

let own: ProjectorEnvironment;
try {
  own = loadEnvironment([ProjectorEnvironment], process.env);
} catch (error) {
  stop(error);
}
const tracing = startTracing('projector', { otlpEndpoint: own.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });

const { loadProjectorConfig } = await import('./config/projector.config.js');
let config: Awaited<ReturnType<typeof loadProjectorConfig>>;
try {
  config = loadProjectorConfig(process.env);
} catch (error) {
  stop(error);
}
const { runProjector } = await import('./bootstrap.js');
await runProjector(config, tracing, process.argv[2]);
