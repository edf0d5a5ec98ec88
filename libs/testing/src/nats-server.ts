import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './platform-processes.js';

/** A nats-server of a test's own (a free port, its own store directory), to stop, damage and start again. */
export interface OwnNatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Starts it again on the same port and store (after `stop`). */
  start(): Promise<void>;
  /** Stops it (SIGTERM: the store is flushed, like a clean shutdown; `kill: true` for SIGKILL). */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing is answered, as from a server too busy to answer. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
  /** Copies the store as it is now (stop first for a consistent copy); returns the copy's path. */
  snapshot(): Promise<string>;
  /** Replaces the store with an older copy (while stopped). */
  restore(copy: string): Promise<void>;
  /**
   * Cuts the newest message block file of `stream` (while stopped) down to `keepFraction` of its size:
   * the acknowledged tail it held is lost, as after a torn write. Returns the file and bytes removed.
   */
  truncateNewestBlock(stream: string, keepFraction?: number): Promise<{ file: string; removed: number }>;
  /** Stops it and deletes its store and snapshots. */
  dispose(): Promise<void>;
}

/** Starts `nats-server -js` (from PATH or NATS_SERVER_BIN) on a free port with a fresh store directory. */
export async function startNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  const root = await mkdtemp(path.join(tmpdir(), 'vista-nats-'));
  const storeDir = path.join(root, 'store');
  const copies: string[] = [];
  let child: ChildProcess | undefined;
  const output: string[] = [];
  const bin = process.env.NATS_SERVER_BIN ?? 'nats-server';

  const start = async () => {
    if (child) return;
    const started = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (output.length > 200) output.splice(0, output.length - 200);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    child = started;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`nats-server exited:\n${output.slice(-20).join('\n')}`);
      if (output.some((line) => line.includes('Server is ready'))) return;
      if (Date.now() > deadline) throw new Error(`nats-server was not ready within 20 s:\n${output.slice(-20).join('\n')}`);
      await sleep(50);
    }
  };
  const stop = async (options: { kill?: boolean } = {}) => {
    const running = child;
    if (!running) return;
    child = undefined;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT'); // a paused server would hold a SIGTERM until it goes on
    running.kill(options.kill ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  const server: OwnNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    start: async () => {
      output.length = 0;
      await start();
    },
    stop,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async snapshot() {
      const copy = path.join(root, `copy-${copies.length}`);
      await cp(storeDir, copy, { recursive: true });
      copies.push(copy);
      return copy;
    },
    async restore(copy) {
      if (child) throw new Error('stop the server before restoring its store');
      await rm(storeDir, { recursive: true, force: true });
      await cp(copy, storeDir, { recursive: true });
    },
    async truncateNewestBlock(stream, keepFraction = 0.5) {
      if (child) throw new Error('stop the server before damaging its store');
      const dir = path.join(storeDir, 'jetstream', '$G', 'streams', stream, 'msgs');
      const blocks = (await readdir(dir)).filter((f) => f.endsWith('.blk')).sort((a, b) => parseInt(a) - parseInt(b));
      const newest = blocks[blocks.length - 1];
      if (!newest) throw new Error(`no message block in ${dir}`);
      const file = path.join(dir, newest);
      const size = (await stat(file)).size;
      const keep = Math.floor(size * keepFraction);
      await truncate(file, keep);
      return { file, removed: size - keep };
    },
    async dispose() {
      await stop({ kill: true });
      await rm(root, { recursive: true, force: true });
    },
  };
  await start();
  return server;
}
