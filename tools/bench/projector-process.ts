import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@vista/testing';
import { type MemoryStats, memoryOf } from './process-stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
export const PROJECTOR_MAIN = join(ROOT, 'dist', 'apps', 'projector', 'src', 'main.js');

export interface ProjectorProcessOptions {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly namespace: string;
  readonly batchSize?: number;
  /** Run under `--cpu-prof`, writing the profile here when stopped. */
  readonly profileDir?: string;
}

/** The projector service as its own process, from dist/ (as it is deployed). */
export interface ProjectorProcess {
  readonly pid: number;
  readonly url: string;
  /** Last lines it printed, for failure messages. */
  readonly output: string[];
  memory(): MemoryStats | undefined;
  /** Its Prometheus text. */
  metrics(): Promise<string>;
  /** Whether it is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startProjector(options: ProjectorProcessOptions): Promise<ProjectorProcess> {
  if (!existsSync(PROJECTOR_MAIN)) throw new Error(`${PROJECTOR_MAIN} does not exist: run \`npm run build\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = options.profileDir
    ? // A SIGTERM exit re-raises the signal (no profile is written); SIGUSR2 ends it with process.exit instead.
      ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, '--import', join(HERE, 'exit-on-signal.js')]
    : [];
  const child = spawn(process.execPath, [...nodeArgs, PROJECTOR_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: options.databaseUrl,
      NATS_URL: options.natsUrl,
      VISTA_BUS_NAMESPACE: options.namespace,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(options.batchSize ? { PROJECTOR_BATCH_SIZE: String(options.batchSize) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const alive = () => child.exitCode === null && child.signalCode === null;

  const projector: ProjectorProcess = {
    pid: child.pid!,
    url,
    output,
    memory: () => memoryOf(child.pid!),
    metrics: () => fetch(`${url}/metrics`).then((r) => r.text()),
    alive,
    stop: () => stopChild(child, options.profileDir ? 'SIGUSR2' : 'SIGTERM'),
  };
  try {
    await waitReady(child, url, output);
  } catch (error) {
    await projector.stop();
    throw error;
  }
  return projector;
}

async function waitReady(child: ChildProcess, url: string, output: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the projector exited early:\n${output.slice(-20).join('\n')}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`the projector was not ready within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Sum and count of a Prometheus histogram in exposition text (labels ignored). */
export function histogramMean(text: string, name: string): { sum: number; count: number; mean: number } | undefined {
  const value = (suffix: string) => {
    const match = new RegExp(`^${name}_${suffix}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const sum = value('sum');
  const count = value('count');
  if (sum === undefined || count === undefined) return undefined;
  return { sum, count, mean: count > 0 ? sum / count : Number.NaN };
}
