import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** True when something accepts a TCP connection at host:port within timeoutMs. */
export function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called about every progressEveryMs while still waiting, with the seconds waited so far. */
  readonly onProgress?: (elapsedSeconds: number, lastProblem: string | undefined) => void;
  readonly progressEveryMs?: number;
}

/** Raised when a wait runs out of time; the message says what was awaited and the last problem seen. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Polls `attempt` until it returns true. An attempt that returns a string reports why it is not
 * there yet (shown in progress lines and the timeout message); one that throws stops the wait.
 */
export async function waitUntil(attempt: () => Promise<true | string>, options: WaitOptions): Promise<void> {
  const started = Date.now();
  const interval = options.intervalMs ?? 250;
  const progressEvery = options.progressEveryMs ?? 5000;
  let nextProgress = started + progressEvery;
  let lastProblem: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const outcome = await attempt();
    if (outcome === true) return;
    lastProblem = outcome;
    const now = Date.now();
    if (now - started >= options.timeoutMs) {
      throw new WaitTimeoutError(`${options.what} not ready after ${Math.round(options.timeoutMs / 1000)} s (last: ${lastProblem})`);
    }
    if (options.onProgress && now >= nextProgress) {
      options.onProgress(Math.round((now - started) / 1000), lastProblem);
      nextProgress = now + progressEvery;
    }
    await delay(interval, undefined, { signal: options.signal });
  }
}
