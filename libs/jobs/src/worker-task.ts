import { parentPort, Worker, workerData } from 'node:worker_threads';
import { VistaError, type ErrorCode } from '@vista/contracts';

/** What a worker sends back: progress messages while it works, then one result or error. */
type WorkerReply<TProgress, TResult> =
  | { kind: 'progress'; progress: TProgress }
  | { kind: 'result'; result: TResult }
  | { kind: 'error'; code: ErrorCode | 'internal'; message: string };

export interface WorkerTaskOptions<TProgress> {
  /** Terminates the worker at once (stop, timeout, shutdown) and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TProgress) => void;
  readonly resourceLimits?: { maxOldGenerationSizeMb?: number };
}

/**
 * Runs one task in its own worker thread, so heavy numerics never hold the service's event loop.
 * The worker module calls `serveWorkerTask`. A VistaError thrown there keeps its code and message.
 */
export function runWorkerTask<TInput, TProgress, TResult>(module: URL, input: TInput, options: WorkerTaskOptions<TProgress> = {}): Promise<TResult> {
  const { signal } = options;
  return new Promise<TResult>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(module, { workerData: input, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: WorkerReply<TProgress, TResult>) => {
      if (settled) return;
      if (reply.kind === 'progress') options.onProgress?.(reply.progress);
      else if (reply.kind === 'result') settle(() => resolve(reply.result));
      else settle(() => reject(new VistaError(reply.code, reply.message)));
    });
    worker.once('error', (error) => settle(() => reject(new VistaError('internal', `worker crashed: ${error.message}`, { cause: error }))));
    worker.once('exit', (code) => settle(() => reject(new VistaError('internal', `worker exited (code ${code}) before it answered`))));
  });
}

/** The worker side: runs `task` on the input it was started with and reports progress and the outcome. */
export function serveWorkerTask<TInput, TProgress, TResult>(task: (input: TInput, progress: (p: TProgress) => void) => TResult | Promise<TResult>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTask must run inside a worker thread');
  const progress = (p: TProgress) => port.postMessage({ kind: 'progress', progress: p });
  Promise.resolve()
    .then(() => task(workerData as TInput, progress))
    .then(
      (result) => port.postMessage({ kind: 'result', result }),
      (error: unknown) =>
        port.postMessage({
          kind: 'error',
          code: error instanceof VistaError ? error.code : 'internal',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
}
