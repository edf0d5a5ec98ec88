import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ServiceName, StartConfig } from './config.js';
import { forEachLine, RecentLines, type Output } from './output.js';
import { exitOf, killGroup, terminate } from './processes.js';
import { waitUntil } from './probe.js';

/** Start order: the projector must be folding before the gateway answers queries from its read models. */
export const START_ORDER: readonly ServiceName[] = ['deck', 'doe', 'ml', 'optimize', 'auth', 'metrics', 'lot-tracking', 'projector', 'gateway'];

/**
 * Stop order: the gateway first so no new commands arrive, the projector last so it folds the
 * events the others publish while they drain.
 */
export const STOP_ORDER: readonly ServiceName[] = ['gateway', 'deck', 'doe', 'ml', 'optimize', 'auth', 'metrics', 'lot-tracking', 'projector'];

/** A service that is not ready yet is waited for as long as it shows progress (new output, a changed readiness answer); this long without any, it has stalled. */
export const READY_STALL_MS = 60_000;
/** Longer than a service's own shutdown bound (SHUTDOWN_GRACE_MS, 15 s by default), so it drains before it is killed. */
export const STOP_GRACE_MS = 20_000;

/** A service failed to start or stopped by itself; the message carries its last lines. */
export class ServiceFailedError extends Error {
  override readonly name = 'ServiceFailedError';
}

export function entryPoint(repoRoot: string, service: ServiceName): string {
  return join(repoRoot, 'dist', 'apps', service, 'src', 'main.js');
}

/** Entry points not built yet, as paths relative to the repository. */
export function missingEntryPoints(repoRoot: string): string[] {
  return START_ORDER.map((service) => entryPoint(repoRoot, service))
    .filter((path) => !existsSync(path))
    .map((path) => relative(repoRoot, path));
}

/** The host to probe a service on: a wildcard bind address is reached through loopback. */
export function probeHost(httpHost: string): string {
  if (httpHost === '0.0.0.0' || httpHost === '::' || httpHost === '[::]') return '127.0.0.1';
  return httpHost.includes(':') && !httpHost.startsWith('[') ? `[${httpHost}]` : httpHost;
}

export function serviceUrl(config: StartConfig, service: ServiceName, path: string): string {
  return `http://${probeHost(config.httpHost)}:${config.ports[service]}${path}`;
}

/** Environment of one service: the caller's, with the validated shared settings and its own port. */
/**
 * The key the services prove themselves to each other with (SERVICE_SIGNING_KEY): the configured one,
 * or one made for this start and handed to the services only (never written anywhere).
 */
let startServiceKey: string | undefined;
function serviceSigningKey(config: StartConfig): string {
  const configured = config.inheritedEnv.SERVICE_SIGNING_KEY;
  if (configured) return configured;
  startServiceKey ??= JSON.stringify({
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
    kid: `start-${randomUUID()}`,
  });
  return startServiceKey;
}

export function serviceEnv(config: StartConfig, service: ServiceName): Record<string, string> {
  return {
    // Tokens are issued by the auth service on its port (its keys at <issuer>/.well-known/jwks.json).
    AUTH_ISSUER: `http://${probeHost(config.httpHost)}:${config.ports.auth}`,
    SERVICE_SIGNING_KEY: serviceSigningKey(config),
    // Runs may read decks from the repo's examples unless another folder is configured.
    DECK_SOURCE_DIR: join(config.repoRoot, 'examples', 'decks'),
    ...config.inheritedEnv,
    DATABASE_URL: config.postgres.url,
    NATS_URL: config.nats.url,
    VISTA_BUS_NAMESPACE: config.busNamespace,
    HTTP_HOST: config.httpHost,
    HTTP_PORT: String(config.ports[service]),
  };
}

/** One service running as a child process, its output relayed line by line under its name. */
export class ServiceProcess {
  private readonly recent = new RecentLines(30);
  private exitReason: string | undefined;
  /** Settles with a description when the process exits, for whatever reason. */
  readonly exited: Promise<string>;
  readonly startedAt = Date.now();
  /** When the process last printed a line (progress while it gets ready). */
  private lastOutputAt = Date.now();
  stopping = false;

  private constructor(
    readonly name: ServiceName,
    private readonly child: ChildProcess,
    out: Output,
  ) {
    this.exited = exitOf(child);
    void this.exited.then((reason) => (this.exitReason = reason));
    const relay = (stream: 'stdout' | 'stderr') => (line: string) => {
      this.recent.add(line);
      this.lastOutputAt = Date.now();
      out.line(name, line, stream);
    };
    forEachLine(child.stdout!, relay('stdout'));
    forEachLine(child.stderr!, relay('stderr'));
  }

  /** Spawns `node dist/apps/<name>/src/main.js` in its own process group. */
  static start(config: StartConfig, name: ServiceName, out: Output): ServiceProcess {
    // Detached so a terminal Ctrl-C reaches only the runner, which stops services in STOP_ORDER.
    const child = spawn(process.execPath, ['--enable-source-maps', entryPoint(config.repoRoot, name)], {
      cwd: config.repoRoot,
      env: serviceEnv(config, name),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child, out);
  }

  /**
   * Polls GET /health/ready until it answers 200; fails if the process exits first, or once it has
   * shown no progress (no output, the same readiness answer) for READY_STALL_MS. A service slow to get
   * ready under load is waited for as long as it keeps going.
   */
  async waitReady(config: StartConfig, out: Output, signal: AbortSignal, stallMs = READY_STALL_MS): Promise<void> {
    const url = serviceUrl(config, this.name, '/health/ready');
    let lastAnswer: string | undefined;
    let lastProgressAt = Date.now();
    try {
      await waitUntil(
        async () => {
          if (this.exitReason !== undefined) throw this.failure(`exited during start-up (${this.exitReason})`);
          const answer = await probeReady(url);
          if (answer === true) return true;
          const now = Date.now();
          if (answer !== lastAnswer || this.lastOutputAt > lastProgressAt) lastProgressAt = now;
          lastAnswer = answer;
          if (now - lastProgressAt > stallMs) throw this.failure(`made no progress towards ready for ${Math.round(stallMs / 1000)} s (last: ${answer})`);
          return answer;
        },
        {
          what: `${this.name} (${url})`,
          timeoutMs: Number.POSITIVE_INFINITY,
          intervalMs: 500,
          signal,
          onProgress: (seconds, last) => out.info(`waiting for ${this.name} to be ready: ${seconds} s (${last})`),
        },
      );
    } catch (error) {
      if (error instanceof ServiceFailedError || (error as Error).name === 'AbortError') throw error;
      throw this.failure((error as Error).message);
    }
  }

  /** The last lines the service printed (the likely cause of an exit). */
  lastLines(count: number): string[] {
    return this.recent.all().slice(-count);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** A failure carrying the service's last output lines. */
  failure(reason: string): ServiceFailedError {
    const lines = this.recent.all();
    const tail = lines.length > 0 ? `\nlast lines of ${this.name}:\n${lines.map((l) => `  ${l}`).join('\n')}` : '';
    return new ServiceFailedError(`${this.name} ${reason}${tail}`);
  }

  get hasExited(): boolean {
    return this.exitReason !== undefined;
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  async stop(): Promise<'exited' | 'killed'> {
    this.stopping = true;
    return terminate(this.child, STOP_GRACE_MS);
  }

  killNow(): void {
    killGroup(this.child);
  }
}

async function probeReady(url: string): Promise<true | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (response.status === 200) return true;
    const body = (await response.text()).replace(/\s+/g, ' ').slice(0, 160);
    return `HTTP ${response.status}${body ? ` ${body}` : ''}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return cause === 'ECONNREFUSED' ? 'not listening yet' : (error as Error).message;
  }
}
