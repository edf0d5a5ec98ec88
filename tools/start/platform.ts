import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { redactUrl, type ServiceName, type StartConfig } from './config.js';
import { ensureNats, NatsUnavailableError } from './nats-server.js';
import type { Output } from './output.js';
import { ensurePostgres, PostgresUnavailableError } from './postgres-server.js';
import { ensurePrometheus } from './prometheus-server.js';
import type { StartedServer } from './processes.js';
import { WaitTimeoutError } from './probe.js';
import { prepareLocalIdentity } from './identity.js';
import { missingEntryPoints, ServiceFailedError, ServiceProcess, serviceUrl, START_ORDER, STOP_GRACE_MS, STOP_ORDER } from './services.js';

/** The platform cannot start as asked; the message says why and what to do. */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** Errors whose message is the whole story; anything else is printed with its stack. */
export const EXPECTED_ERRORS = [StartError, NatsUnavailableError, PostgresUnavailableError, ServiceFailedError, WaitTimeoutError];

/** Pause before restarting a service that exited: doubles with each quick exit, from 1 s up to 30 s. */
export function restartDelayMs(quickExits: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, quickExits));
}

/** A service that ran at least this long before exiting starts its backoff over. */
const STABLE_RUN_MS = 60_000;

/**
 * NATS, Postgres and the services of one local run: started in order, supervised (a service that
 * exits is restarted with backoff, each restart printed with its cause), stopped in order.
 */
export class Platform {
  /** nats-server and Postgres started by this runner, in start order; only these are stopped. */
  private readonly servers: StartedServer[] = [];
  private readonly services = new Map<ServiceName, ServiceProcess>();
  private readonly startedHere = new Set<'nats' | 'postgres'>();
  /** Quick exits in a row per service (its restart backoff). */
  private readonly quickExits = new Map<ServiceName, number>();
  private restarts = 0;
  private stopping = false;

  private loginHelp: string[] = [];

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
    await ensurePrometheus({ config, out, signal, adopt });
    // Signing key, local admin and the local OpenID Connect provider; the caller's own settings win.
    const identity = await prepareLocalIdentity(config, out, adopt, signal);
    Object.assign(config.inheritedEnv, identity.env);
    this.loginHelp = identity.help;

    for (const name of START_ORDER) {
      out.info(`starting ${name} on ${serviceUrl(config, name, '/')}`);
      const began = Date.now();
      const service = ServiceProcess.start(config, name, out);
      this.services.set(name, service);
      await service.waitReady(config, out, signal);
      out.info(`${name} is ready (pid ${service.pid}, ${((Date.now() - began) / 1000).toFixed(1)} s)`);
    }
  }

  /**
   * Resolves on Ctrl-C; rejects when our own nats-server stops by itself. A service that exits is
   * restarted (with backoff) and waited for until it is ready again; the others keep running.
   */
  watch(signal: AbortSignal): Promise<void> {
    // Nothing else may hold the event loop open (e.g. --infra-only with both servers reused).
    const keepAlive = setInterval(() => undefined, 60_000);
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      for (const name of this.services.keys()) this.supervise(name, signal);
      for (const server of this.servers) {
        void server.exited?.then((reason) => {
          if (!this.stopping) reject(new StartError(`the ${server.name} started here stopped by itself (${reason})`));
        });
      }
    }).finally(() => clearInterval(keepAlive));
  }

  /** Restarts the service when its current process exits (unless the platform is stopping). */
  private supervise(name: ServiceName, signal: AbortSignal): void {
    const service = this.services.get(name);
    if (!service) return;
    void service.exited.then((reason) => {
      if (this.stopping || signal.aborted || this.services.get(name) !== service) return;
      return this.restart(name, service, reason, signal).catch((error: unknown) => {
        if (!this.stopping && !signal.aborted) this.out.error(`restarting ${name} failed: ${(error as Error).message}`);
      });
    });
  }

  private async restart(name: ServiceName, previous: ServiceProcess, reason: string, signal: AbortSignal): Promise<void> {
    const { config, out } = this;
    const exitedAt = Date.now();
    const quick = exitedAt - previous.startedAt < STABLE_RUN_MS ? (this.quickExits.get(name) ?? 0) : 0;
    this.quickExits.set(name, quick + 1);
    const waitMs = restartDelayMs(quick);
    const n = ++this.restarts;
    const cause = previous.lastLines(3);
    out.error(
      `${name} (pid ${previous.pid}) exited by itself (${reason}); restart #${n} in ${(waitMs / 1000).toFixed(0)} s` +
        (cause.length > 0 ? `; its last lines:\n${cause.map((l) => `  ${l}`).join('\n')}` : ''),
    );
    await delay(waitMs, undefined, { signal });
    if (this.stopping) return;
    const service = ServiceProcess.start(config, name, out);
    this.services.set(name, service);
    out.info(`restarted ${name} (pid ${service.pid}); waiting for it to be ready`);
    this.supervise(name, signal);
    try {
      await service.waitReady(config, out, signal);
      out.info(`${name} is back and ready (pid ${service.pid}, ${((Date.now() - exitedAt) / 1000).toFixed(1)} s after it exited)`);
    } catch (error) {
      if (this.stopping || signal.aborted || service.hasExited) return; // an exit is restarted by supervise
      out.error(`${(error as Error).message.split('\n', 1)[0]}; killing it to restart it`);
      service.killNow();
    }
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
        this.out.info(outcome === 'killed' ? `${name} did not stop within ${STOP_GRACE_MS / 1000} s: killed` : `${name} stopped`);
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
    lines.push(...this.loginHelp, 'Press Ctrl-C to stop.', '');
    for (const line of lines) out.info(line);
  }
}
