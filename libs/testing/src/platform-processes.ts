import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { testServers } from './test-environment.js';
import { type TestIdentity, createTestIdentity } from './test-identity.js';

export type ServiceName = 'deck' | 'doe' | 'ml' | 'optimize' | 'projector' | 'gateway' | 'auth' | 'metrics' | 'lot-tracking';

export interface PlatformOptions {
  readonly databaseUrl: string;
  /** The NATS server (default: the test run's shared one). */
  readonly natsUrl?: string;
  readonly namespace: string;
  readonly services?: ServiceName[];
  /** Extra environment for every service (e.g. DECK_SOURCE_DIR, DECK_JOB_TIMEOUT_MS). */
  readonly env?: Record<string, string>;
  /** Extra environment of one service, over `env` (e.g. `{ ml: { JOB_LEASE_MS: '2000' } }`). */
  readonly serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Processes to run of a service, each on its own port (default 1). */
  readonly replicas?: Partial<Record<ServiceName, number>>;
  /** How long each service may take to get ready at start and restart (ms, default 30 s). */
  readonly readyTimeoutMs?: number;
  /** The signing key the services trust (default: a fresh `createTestIdentity()`); its env goes to every service. */
  readonly identity?: TestIdentity;
}

export interface RunningService {
  readonly name: ServiceName;
  /** Which of the service's replicas this process is (0 for the first). */
  readonly replica: number;
  readonly port: number;
  readonly url: string;
  process: ChildProcess;
  /** Last lines the process printed (for failure messages). */
  readonly output: string[];
}

export interface Platform {
  /** Each service's first replica. */
  readonly services: Map<ServiceName, RunningService>;
  /** Every replica of each service, in the order they started. */
  readonly replicas: Map<ServiceName, RunningService[]>;
  readonly gatewayUrl: string;
  /** The key every service trusts: `await platform.identity.token({ roles: ['admin'] })`. */
  readonly identity: TestIdentity;
  /** SIGKILLs a service's replica (no shutdown hooks run). */
  kill(name: ServiceName, replica?: number): Promise<void>;
  /** SIGTERMs a service's replica and waits for it to exit (its shutdown hooks run); resolves with how it exited. */
  terminate(name: ServiceName, replica?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts a stopped replica again on the same port and waits until it is ready. */
  restart(name: ServiceName, replica?: number): Promise<void>;
  stop(): Promise<void>;
}

// The repository root, whether this module runs from its source (tests) or from dist/ (tools built with `npm run build`).
const HERE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const ROOT = path.basename(HERE) === 'dist' && existsSync(path.join(HERE, '..', 'package.json')) ? path.dirname(HERE) : HERE;

/** Runs Vista's services as real processes from `dist/` (build first) against the test's servers. */
export async function startPlatform(platformOptions: PlatformOptions): Promise<Platform> {
  const identity = platformOptions.identity ?? (await createTestIdentity());
  const options: PlatformOptions = { ...platformOptions, identity, env: { ...identity.env, ...platformOptions.env } };
  const names = options.services ?? ['deck', 'projector', 'gateway'];
  const services = new Map<ServiceName, RunningService>();
  const replicas = new Map<ServiceName, RunningService[]>();
  const replicaOf = (name: ServiceName, replica = 0): RunningService => {
    const service = replicas.get(name)?.[replica];
    if (!service) throw new Error(`${name} has no replica ${replica}`);
    return service;
  };
  const platform: Platform = {
    services,
    replicas,
    identity,
    get gatewayUrl() {
      return services.get('gateway')?.url ?? '';
    },
    async kill(name, replica) {
      await terminate(replicaOf(name, replica).process, 'SIGKILL');
    },
    async terminate(name, replica) {
      const child = replicaOf(name, replica).process;
      await terminate(child, 'SIGTERM');
      return { code: child.exitCode, signal: child.signalCode };
    },
    async restart(name, replica) {
      const service = replicaOf(name, replica);
      service.process = launch(name, service.port, options, service.output);
      await waitReady(service, options.readyTimeoutMs);
    },
    async stop() {
      for (const name of [...names].reverse()) {
        await Promise.all((replicas.get(name) ?? []).map((service) => terminate(service.process, 'SIGTERM')));
      }
    },
  };
  try {
    for (const name of names) {
      const count = options.replicas?.[name] ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new Error(`replicas of ${name} must be a positive integer, not ${count}`);
      const started: RunningService[] = [];
      replicas.set(name, started);
      for (let replica = 0; replica < count; replica++) {
        const port = await freePort();
        const output: string[] = [];
        const service: RunningService = { name, replica, port, url: `http://127.0.0.1:${port}`, process: launch(name, port, options, output), output };
        started.push(service);
        if (replica === 0) services.set(name, service);
        await waitReady(service, options.readyTimeoutMs);
      }
    }
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

function launch(name: ServiceName, port: number, options: PlatformOptions, output: string[]): ChildProcess {
  const main = path.join(ROOT, 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} does not exist: run \`npm run build\` first`);
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: options.databaseUrl,
      NATS_URL: options.natsUrl ?? testServers.natsUrl,
      VISTA_BUS_NAMESPACE: options.namespace,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      ...options.env,
      ...options.serviceEnv?.[name],
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // E2E_SERVICE_LOG_DIR: every line each process prints is also kept whole in <dir>/<service>-<port>.log.
  const logDir = process.env.E2E_SERVICE_LOG_DIR;
  const logFile = logDir ? createWriteStream(path.join(logDir, `${name}-${port}.log`), { flags: 'a' }) : undefined;
  const keep = (chunk: Buffer) => {
    logFile?.write(chunk);
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.once('close', () => logFile?.end());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function waitReady(service: RunningService, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let answer = '';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null || service.process.signalCode !== null) {
      throw new Error(`${service.name} exited early:\n${service.output.slice(-20).join('\n')}`);
    }
    const ok = await fetch(`${service.url}/health/ready`).then(
      async (r) => {
        answer = (await r.text()).slice(0, 2_000);
        return r.ok;
      },
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs} ms (last answer: ${answer}):\n${service.output.slice(-20).join('\n')}`);
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
