import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { VistaError } from '@vista/contracts';
import type { WorkerReply, WorkerTaskMessage } from './worker/worker-task.js';

export interface WorkerPoolOptions {
  /** Worker threads, all started at once and kept warm (default: the machine's cores). */
  readonly size?: number;
  /** Heap limit of each worker: a task that exceeds it fails instead of growing the process. */
  readonly maxOldGenerationSizeMb?: number;
  /**
   * The service's main task module, loaded by every worker as it starts, so even the first task finds it
   * warm (skipped where it is not built, e.g. a test running the service from its sources).
   */
  readonly preload?: URL;
  /** A worker that failed outside any task (e.g. its preload). */
  readonly onError?: (error: unknown) => void;
}

export interface PoolTaskOptions<TProgress> {
  /** Aborting ends the task at once: its worker is terminated and a fresh one replaces it. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TProgress) => void;
}

export interface WorkerPoolStatus {
  readonly size: number;
  readonly busy: number;
  readonly completed: number;
}

/**
 * A service's bounded pool of warm worker threads. A task names its module (one that default-exports
 * `workerTask(...)`); each worker imports a module once and keeps it, so a task costs its own
 * computation, not a thread start and a module load. At most `size` tasks run at once; the caller
 * (the stage runner) never gives it more, so waiting happens in the durable queue, not in memory.
 */
export class WorkerPool {
  private readonly pool: Piscina;
  private running = 0;
  private closing = false;

  constructor(options: WorkerPoolOptions = {}) {
    const size = options.size ?? availableParallelism();
    const preload = options.preload && existsSync(fileURLToPath(options.preload)) ? fileURLToPath(options.preload) : undefined;
    this.pool = new Piscina({
      minThreads: size,
      maxThreads: size,
      // Warm for good: an idle worker is not torn down (its modules would load again).
      idleTimeout: 2 ** 31 - 1,
      ...(preload ? { filename: preload } : {}),
      ...(options.maxOldGenerationSizeMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } } : {}),
    });
    // Without a listener, an error of a worker outside any task would end the process.
    this.pool.on('error', (error: unknown) => options.onError?.(error));
  }

  get size(): number {
    return this.pool.maxThreads;
  }

  /** Runs one task on a worker; resolves with its result, rejects with its VistaError or the abort reason. */
  async run<TInput, TProgress, TResult>(module: URL, input: TInput, options: PoolTaskOptions<TProgress> = {}): Promise<TResult> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    // An abort ends the task's worker (and the pool starts a fresh one) — except while the pool is closing:
    // then the task is given up at once and its worker is ended with all the others by close(). A worker
    // started only to be terminated a moment later, in the middle of loading its modules, can bring the
    // whole process down (SIGABRT) on its way out.
    const stopWorker = new AbortController();
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        if (!this.closing) stopWorker.abort(signal!.reason);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    const { port1, port2 } = new MessageChannel();
    const outcome = new Promise<TResult>((resolve, reject) => {
      port1.on('message', (reply: WorkerReply<TProgress, TResult>) => {
        if (reply.kind === 'progress') options.onProgress?.(reply.progress);
        else if (reply.kind === 'result') resolve(reply.result);
        else reject(new VistaError(reply.code, reply.message, reply.issues ? { issues: reply.issues } : {}));
      });
    });
    // The outcome may arrive (and reject) before the pool's own promise settles: it is awaited below,
    // so its rejection must not count as unhandled meanwhile (that would end the process).
    outcome.catch(() => undefined);
    const message: WorkerTaskMessage<TInput> = { input, port: port2 };
    this.running++;
    try {
      const ran = this.pool.run(message, { filename: fileURLToPath(module), transferList: [port2], ...(signal ? { signal: stopWorker.signal } : {}) });
      // The task's outcome comes on the port after its progress; the pool's own promise says whether
      // the worker got that far (it rejects on an abort, a crash or a heap limit).
      const settled = ran.catch((error: unknown) => {
        if (signal?.aborted) throw signal.reason;
        throw new VistaError('internal', `worker failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      });
      settled.catch(() => undefined);
      await Promise.race([settled, aborted]);
      return await outcome;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running--;
      port1.close();
    }
  }

  status(): WorkerPoolStatus {
    return { size: this.size, busy: this.running, completed: this.pool.completed };
  }

  /** Shutting down: from now on an aborted task is given up without ending its worker (close() ends them all). */
  beginClose(): void {
    this.closing = true;
  }

  /** Ends every worker (tasks still running are aborted). */
  async close(): Promise<void> {
    this.closing = true;
    await this.pool.destroy();
  }
}
