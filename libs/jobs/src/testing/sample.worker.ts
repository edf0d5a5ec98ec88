import { VistaError } from '@vista/contracts';
import { workerTask } from '../worker/worker-task.js';

export type SampleTask = { kind: 'count'; to: number } | { kind: 'refuse'; reason: string } | { kind: 'spin' } | { kind: 'whoami' };

/** Modules loaded by this worker so far: a warm worker loads this module once. */
let loads = 0;
loads++;

/** A task for the worker pool's tests: counts with progress, refuses, spins until terminated, or says which load it is. */
export default workerTask<SampleTask, number, number | { loads: number; threadId: number }>(async (task, progress) => {
  switch (task.kind) {
    case 'count':
      for (let i = 1; i <= task.to; i++) progress(i);
      return task.to;
    case 'refuse':
      throw new VistaError('invalid', task.reason);
    case 'spin':
      for (;;) await new Promise((resolve) => setTimeout(resolve, 10));
    case 'whoami':
      return { loads, threadId: (await import('node:worker_threads')).threadId };
  }
});
