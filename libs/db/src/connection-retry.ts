import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionLost } from '@vista/contracts';

export interface ConnectionRetryOptions {
  /** Tries in all, the first included (default 6). */
  readonly attempts?: number;
  /** Pause before the n-th retry (ms); the last value repeats (default 100, 250, 500, 1000, 2000). */
  readonly delaysMs?: readonly number[];
  /** Stops retrying early (shutdown): the last failure is thrown. */
  readonly signal?: AbortSignal;
  /** Told before each retry. */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

const DEFAULT_DELAYS_MS = [100, 250, 500, 1_000, 2_000];

/**
 * Runs `work` again when it fails on a lost or refused database connection, a bounded number of times
 * with backoff; any other failure, and the last lost-connection one, is thrown. Only for work that is
 * safe to repeat: a read, or a write that is idempotent (keyed by its own ids) — a commit whose answer
 * was lost may have gone through.
 */
export async function retryOnConnectionLoss<T>(work: (attempt: number) => Promise<T>, options: ConnectionRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const delays = options.delaysMs ?? DEFAULT_DELAYS_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!isConnectionLost(error) || attempt >= attempts || options.signal?.aborted) throw error;
      options.onRetry?.(error, attempt);
      await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 1_000);
    }
  }
}
