import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

/** A server this runner started itself, and so must stop again. */
export interface StartedServer {
  readonly name: string;
  /** Stops it gracefully; resolves once it is gone. */
  stop(): Promise<void>;
  /** Synchronous last resort when the runner itself exits unexpectedly. */
  killNow(): void;
  /** Settles with a reason when the server stops by itself; absent when it runs on its own (Postgres). */
  readonly exited?: Promise<string>;
}

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr together, in arrival order. */
  readonly output: string;
}

/** A command that exited non-zero; the message carries the end of its output. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

/**
 * Runs a command to completion, capturing its output. It gets its own process group so a
 * Ctrl-C in the terminal reaches only the runner, which then shuts things down in order.
 */
export async function runCommand(file: string, args: readonly string[], options: Pick<SpawnOptions, 'cwd' | 'env'> = {}): Promise<CommandResult> {
  const child = spawn(file, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, output };
}

/** Like runCommand, but a non-zero exit becomes a CommandFailedError. */
export async function runChecked(file: string, args: readonly string[], options: Pick<SpawnOptions, 'cwd' | 'env'> = {}): Promise<CommandResult> {
  const result = await runCommand(file, args, options);
  if (result.code !== 0) {
    const tail = result.output.trimEnd().split('\n').slice(-15).join('\n');
    throw new CommandFailedError(`${[file, ...args].join(' ')} exited with ${result.code ?? result.signal}${tail ? `:\n${tail}` : ''}`);
  }
  return result;
}

/** Resolves with a description once the child has exited (immediately if it already has). */
export function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(describeExit(child.exitCode, child.signalCode));
  }
  return once(child, 'exit').then(([code, signal]) => describeExit(code as number | null, signal as NodeJS.Signals | null));
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/**
 * Sends SIGTERM to a child and waits up to graceMs; if it is still there, SIGKILLs its whole
 * process group (the child was spawned detached, so it leads one), taking any workers with it.
 */
export async function terminate(child: ChildProcess, graceMs: number): Promise<'exited' | 'killed'> {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null) return 'exited';
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'exited') return 'exited';
  killGroup(child);
  await exited;
  return 'killed';
}

/** SIGKILLs a detached child's process group, ignoring one that is already gone. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
