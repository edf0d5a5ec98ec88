import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NamespacedNatsServer } from '@vista/bus';
import { createDatabase, type MigrationSet, migrateSchema } from '@vista/db';
import { NestLogger } from '@vista/telemetry';
import type { TracingHandle } from '@vista/telemetry/tracing';

/** What the host reads from a service's validated config. */
export interface HostSettings {
  readonly DATABASE_URL: string;
  readonly NATS_URL: string;
  readonly VISTA_BUS_NAMESPACE: string;
  readonly HTTP_HOST: string;
  readonly HTTP_PORT: number;
  /** Bound of the whole shutdown (ms); `shutdownGraceMs` or the default when absent. */
  readonly SHUTDOWN_GRACE_MS?: number;
}

/** Default time the shutdown hooks get (consumers drain, requests finish) before the process exits anyway. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface ServiceAppOptions<T extends INestApplication = INestApplication> {
  readonly name: string;
  readonly module: DynamicModule;
  readonly config: HostSettings;
  /** Serve the service's `@OnCommand` handlers over NATS (queue group = name). Default true. */
  readonly commandServer?: boolean;
  /** Options of the HTTP application (the gateway reads bodies itself). */
  readonly appOptions?: NestApplicationOptions;
  /** Middleware, filters, pipes, docs: whatever the service adds to its HTTP application. */
  readonly configure?: (app: T) => void | Promise<void>;
}

export interface RunServiceOptions<T extends INestApplication = INestApplication> extends ServiceAppOptions<T> {
  /** The schema the service owns; with `migrations`, omitted for a service that owns no tables. */
  readonly schema?: string;
  readonly migrations?: MigrationSet;
  readonly tracing: TracingHandle;
  /** `migrate`: migrate the schema and exit; nothing: migrate and serve. */
  readonly command?: string;
  /** Time the shutdown hooks get after SIGTERM/SIGINT before the process exits anyway. */
  readonly shutdownGraceMs?: number;
  /** Said after the address in the log line when the service listens (e.g. what it serves). */
  readonly listeningNote?: string;
}

/** Builds a service's application (logger, NATS command server), not yet listening: `runService` and test harnesses share it. */
export async function createServiceApp<T extends INestApplication = INestApplication>(options: ServiceAppOptions<T>): Promise<T> {
  const { name, config } = options;
  const app = await NestFactory.create<T>(options.module, { bufferLogs: true, ...options.appOptions });
  app.useLogger(app.get(NestLogger));
  if (options.commandServer ?? true) {
    app.connectMicroservice(
      {
        strategy: new NamespacedNatsServer(config.VISTA_BUS_NAMESPACE, {
          servers: config.NATS_URL.split(','),
          name: `${name}-commands`,
          queue: name,
          gracefulShutdown: true,
          gracePeriod: 2_000,
          maxReconnectAttempts: -1,
        }),
      },
      { inheritAppConfig: true },
    );
  }
  await options.configure?.(app);
  return app;
}

/** Migrates a service's schema; returns the migrations that ran (none without a schema). */
export async function migrateService(options: Pick<RunServiceOptions, 'name' | 'schema' | 'migrations' | 'config'>): Promise<string[]> {
  if (options.schema === undefined || options.migrations === undefined) return [];
  const db = createDatabase({ url: options.config.DATABASE_URL, poolMax: 1, applicationName: `vista-${options.name}-migrate` });
  try {
    return await migrateSchema(db, options.schema, options.migrations);
  } finally {
    await db.destroy();
  }
}

/**
 * The one way a service runs: migrates its schema (if it owns one); then, unless only migrating,
 * serves HTTP (health, metrics, its API) and its NATS commands until SIGTERM/SIGINT, which run the
 * shutdown hooks within a bounded grace period and flush tracing. A failure to start ends the
 * process with the reason.
 */
export async function runService<T extends INestApplication = INestApplication>(options: RunServiceOptions<T>): Promise<void> {
  const { name, tracing, command } = options;
  try {
    if (command !== undefined && command !== 'migrate') throw new Error(`unknown command "${command}" (expected nothing or "migrate")`);
    const migrated = await migrateService(options);
    if (command === 'migrate') {
      process.stdout.write(`${JSON.stringify({ service: name, schema: options.schema ?? null, migrated })}\n`);
      await tracing.shutdown();
      return;
    }
    const app = await createServiceApp(options);
    const logger = app.get(NestLogger);
    if (migrated.length > 0) logger.log(`migrated "${options.schema}": ${migrated.join(', ')}`, name);
    stopOnSignals(app, options);
    await app.startAllMicroservices();
    await app.listen(options.config.HTTP_PORT, options.config.HTTP_HOST);
    const note = options.listeningNote ? ` (${options.listeningNote})` : '';
    logger.log(`${name} listening on http://${options.config.HTTP_HOST}:${options.config.HTTP_PORT}${note}`, name);
  } catch (error) {
    process.stderr.write(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    await tracing.shutdown().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * Nest's own `enableShutdownHooks` would wait for the hooks without bound; here a stuck hook (a
 * request that never ends, a broker that never answers) cannot keep the process alive past the grace.
 */
function stopOnSignals(app: INestApplication, options: Pick<RunServiceOptions, 'name' | 'tracing' | 'shutdownGraceMs' | 'config'>): void {
  const { name, tracing } = options;
  const graceMs = options.config.SHUTDOWN_GRACE_MS ?? options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(NestLogger).log(`${signal}: stopping (work in hand finishes, connections drain)`, name);
    setTimeout(() => {
      process.stderr.write(`${name}: shutdown took longer than ${graceMs} ms, exiting\n`);
      process.exit(1);
    }, graceMs).unref();
    try {
      await app.close();
      await tracing.shutdown();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`${name}: shutdown failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
