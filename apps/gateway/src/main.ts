// Tracing must start before Nest, express or pg are imported, so only the configuration and the
// tracing entry point are imported statically and the application is loaded afterwards.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';
import { loadGatewayConfig } from './config/gateway.config.js';

/** How long in-flight requests get to finish on SIGTERM/SIGINT before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === 'migrate') {
    // The gateway owns no tables: it reads the projector's `read` schema.
    process.stdout.write('gateway: nothing to migrate\n');
    return;
  }
  if (command !== undefined) throw new Error(`unknown command "${command}" (expected nothing or "migrate")`);

  const config = loadGatewayConfig(process.env);
  const tracing = startTracing('gateway', { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const { createGatewayApp, NestLogger } = await import('./app.factory.js');
  const app = await createGatewayApp(config);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const logger = app.get(NestLogger);
  logger.log(`gateway listening on ${await app.getUrl()} (dashboard /, API docs /docs)`, 'Gateway');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: closing (in-flight requests finish, connections drain)`, 'Gateway');
    setTimeout(() => {
      process.stderr.write(`gateway: shutdown took longer than ${SHUTDOWN_GRACE_MS} ms, exiting\n`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    try {
      await app.close();
      await tracing.shutdown();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`gateway: shutdown failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
