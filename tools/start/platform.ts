import { join, relative } from 'node:path';
import { redactUrl, type ServiceName, type StartConfig } from './config.js';
import { ensureNats, NatsUnavailableError } from './nats-server.js';
import type { Output } from './output.js';
import { ensurePostgres, PostgresUnavailableError } from './postgres-server.js';
import type { StartedServer } from './processes.js';
import { WaitTimeoutError } from './probe.js';
import { missingEntryPoints, ServiceFailedError, ServiceProcess, serviceUrl, START_ORDER, STOP_ORDER } from './services.js';

/** The platform cannot start as asked; the message says why and what to do. */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** Errors whose message is the whole story; anything else is printed with its stack. */
export const EXPECTED_ERRORS = [StartError, NatsUnavailableError, PostgresUnavailableError, ServiceFailedError, WaitTimeoutError];

/** NATS, Postgres and the services of one local run: started in order, watched, stopped in order. */
export class Platform {
  /** nats-server and Postgres started by this runner, in start order; only these are stopped. */
  private readonly servers: StartedServer[] = [];
  private readonly services = new Map<ServiceName, ServiceProcess>();
  private readonly startedHere = new Set<'nats' | 'postgres'>();
  private stopping = false;

  constructor(
    private readonly config: StartConfig,
    private readonly out: Output,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    const { config, out } = this;
    if (!config.infraOnly) {
      const missing = missingEntryPoints(config.repoRoot);
      if (missing.length > 0) {
        throw new StartError(
          `service entry points are not built: ${missing.join(', ')}.\n` +
            'Build first (`npm run build`, or `npx swc apps libs tools -d dist`), ' +
            'or run with --infra-only to start only NATS and Postgres.',
        );
      }
    }
    const adopt = (server: StartedServer) => this.servers.push(server);
    const common = { dataDir: config.dataDir, pathValue: config.inheritedEnv.PATH, out, signal, adopt };
    if ((await ensureNats({ ...common, target: config.nats })) === 'started') this.startedHere.add('nats');
    if ((await ensurePostgres({ ...common, target: config.postgres })) === 'started') this.startedHere.add('postgres');
    if (config.infraOnly) return;

    for (const name of START_ORDER) {
      out.info(`starting ${name} on ${serviceUrl(config, name, '/')}`);
      const began = Date.now();
      const service = ServiceProcess.start(config, name, out);
      this.services.set(name, service);
      await service.waitReady(config, out, signal);
      out.info(`${name} is ready (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    }
  }

  /** Resolves on Ctrl-C; rejects when a service or our own nats-server stops by itself. */
  watch(signal: AbortSignal): Promise<void> {
    // Nothing else may hold the event loop open (e.g. --infra-only with both servers reused).
    const keepAlive = setInterval(() => undefined, 60_000);
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      for (const service of this.services.values()) {
        void service.exited.then((reason) => {
          if (!this.stopping) reject(service.failure(`stopped by itself (${reason})`));
        });
      }
      for (const server of this.servers) {
        void server.exited?.then((reason) => {
          if (!this.stopping) reject(new StartError(`the ${server.name} started here stopped by itself (${reason})`));
        });
      }
    }).finally(() => clearInterval(keepAlive));
  }

  /** Whether any service or server of this run still needs stopping. */
  get hasRunning(): boolean {
    return this.services.size > 0 || this.servers.length > 0;
  }

  /** Stops services in STOP_ORDER, then only the servers this runner started. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const name of STOP_ORDER) {
      const service = this.services.get(name);
      if (!service) continue;
      if (service.hasExited) {
        this.out.info(`${name} had already exited`);
      } else {
        this.out.info(`stopping ${name}`);
        const outcome = await service.stop();
        this.out.info(outcome === 'killed' ? `${name} did not stop within 10 s: killed` : `${name} stopped`);
      }
      this.services.delete(name);
    }
    while (this.servers.length > 0) {
      const server = this.servers.at(-1)!;
      this.out.info(`stopping the ${server.name} started here`);
      try {
        await server.stop();
        this.out.info(`${server.name} stopped`);
      } catch (error) {
        this.out.error(`could not stop ${server.name}: ${(error as Error).message}`);
      }
      this.servers.pop();
    }
  }

  /** Synchronous last resort (second Ctrl-C, or the runner dying): kill whatever is still running. */
  killNow(): void {
    for (const service of this.services.values()) service.killNow();
    for (const server of this.servers) server.killNow();
    this.services.clear();
    this.servers.length = 0;
  }

  printSummary(): void {
    const { config, out } = this;
    const dataPath = (name: string) => {
      const path = join(config.dataDir, name);
      const fromHere = relative(process.cwd(), path);
      return fromHere.startsWith('..') ? path : fromHere;
    };
    const origin = (name: 'nats' | 'postgres') =>
      this.startedHere.has(name) ? `started here: data ${dataPath(name === 'nats' ? 'nats' : 'postgres')}, log ${dataPath(`${name}.log`)}` : 'already running';
    const lines = [''];
    if (!config.infraOnly) {
      lines.push(
        'Vista is running:',
        `  dashboard / API  ${serviceUrl(config, 'gateway', '/')}`,
        `  API docs         ${serviceUrl(config, 'gateway', '/docs')}`,
      );
      for (const name of START_ORDER) {
        lines.push(`  ${name.padEnd(10)} health ${serviceUrl(config, name, '/health/ready')}  metrics ${serviceUrl(config, name, '/metrics')}`);
      }
    } else {
      lines.push('NATS and Postgres are ready (--infra-only):');
    }
    lines.push(`  NATS       ${redactUrl(config.nats.url)} (${origin('nats')})`, `  Postgres   ${redactUrl(config.postgres.url)} (${origin('postgres')})`);
    if (config.infraOnly) {
      lines.push(
        'Services started by hand use them with:',
        `  export DATABASE_URL='${config.postgres.url}' NATS_URL='${config.nats.url}' VISTA_BUS_NAMESPACE='${config.busNamespace}'`,
      );
    }
    lines.push('Press Ctrl-C to stop.', '');
    for (const line of lines) out.info(line);
  }
}
