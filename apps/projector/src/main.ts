// Tracing must start before anything it instruments (http, express, pg) is imported, so this file
// imports only what reading the tracing settings needs; the rest loads afterwards.
import { loadEnvironment } from '@vista/contracts';
import { startTracing } from '@vista/telemetry';
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
const { migrateReadModel, serve } = await import('./bootstrap.js');

try {
  if (process.argv[2] === 'migrate') {
    const migrated = await migrateReadModel(config);
    process.stdout.write(`${JSON.stringify({ service: 'projector', schema: config.READ_SCHEMA, migrated })}\n`);
    await tracing.shutdown();
  } else {
    await serve(config, tracing);
  }
} catch (error) {
  await tracing.shutdown().catch(() => undefined);
  stop(error);
}
