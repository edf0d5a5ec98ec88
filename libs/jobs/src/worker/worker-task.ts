import type { MessagePort } from 'node:worker_threads';
import { VistaError, type ErrorCode } from '@vista/contracts';

/** What a task sends on its port: progress while it works, then one result or error, in that order. */
export type WorkerReply<TProgress, TResult> =
  | { kind: 'progress'; progress: TProgress }
  | { kind: 'result'; result: TResult }
  | { kind: 'error'; code: ErrorCode | 'internal'; message: string; issues?: VistaError['issues'] };

/** What the pool hands a task: its input and the port its replies go back on. */
export interface WorkerTaskMessage<TInput> {
  readonly input: TInput;
  readonly port: MessagePort;
}

/**
 * The worker side of a pool task: the module's default export, called for each task on a warm
 * worker (the module loads once per worker). Progress and the outcome travel on one port, so the
 * outcome never overtakes the progress sent before it. A VistaError keeps its code and message.
 * This file imports nothing heavy: a worker loads only what its task needs.
 */
export function workerTask<TInput, TProgress, TResult>(
  task: (input: TInput, progress: (p: TProgress) => void) => TResult | Promise<TResult>,
): (message: WorkerTaskMessage<TInput>) => Promise<void> {
  return async ({ input, port }) => {
    const send = (reply: WorkerReply<TProgress, TResult>) => port.postMessage(reply);
    try {
      send({ kind: 'result', result: await task(input, (progress) => send({ kind: 'progress', progress })) });
    } catch (error) {
      send({
        kind: 'error',
        code: error instanceof VistaError ? error.code : 'internal',
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof VistaError && error.issues?.length ? { issues: error.issues } : {}),
      });
    } finally {
      port.close();
    }
  };
}
