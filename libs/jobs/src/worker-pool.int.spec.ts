import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VistaError } from '@vista/contracts';
import type { SampleTask } from './testing/sample.worker.js';
import { WorkerPool } from './worker-pool.js';

// Worker threads load compiled modules: the test uses the build (`npm test` builds first).
const SAMPLE = new URL('../../../dist/libs/jobs/src/testing/sample.worker.js', import.meta.url);

describe('WorkerPool (real worker threads)', () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = new WorkerPool({ size: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('delivers every progress message before the result', async () => {
    const seen: number[] = [];
    const result = await pool.run<SampleTask, number, number>(SAMPLE, { kind: 'count', to: 500 }, { onProgress: (n) => seen.push(n) });
    expect(result).toBe(500);
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it("rejects with the task's own error, code and message, however often, and the process goes on", async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => pool.run(SAMPLE, { kind: 'refuse', reason: `row ${i} is not a number` })));
    outcomes.forEach((outcome, i) => {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as VistaError;
      expect(error).toBeInstanceOf(VistaError);
      expect([error.code, error.message]).toEqual(['invalid', `row ${i} is not a number`]);
    });
  });

  it('keeps its workers warm: a module loads once per worker, on at most `size` threads', async () => {
    const answers = (await Promise.all(Array.from({ length: 12 }, () => pool.run(SAMPLE, { kind: 'whoami' })))) as { loads: number; threadId: number }[];
    expect(new Set(answers.map((a) => a.loads))).toEqual(new Set([1]));
    expect(new Set(answers.map((a) => a.threadId)).size).toBeLessThanOrEqual(2);
  });

  it('ends a task at once when its signal aborts, with the abort reason, and the pool serves the next task', async () => {
    const controller = new AbortController();
    const spinning = pool.run(SAMPLE, { kind: 'spin' }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopped by alice')), 100);
    await expect(spinning).rejects.toThrow('stopped by alice');
    expect(await pool.run(SAMPLE, { kind: 'count', to: 3 })).toBe(3);
  });

  it('while closing gives an aborted task up at once without starting a fresh worker, and close() ends the busy ones', async () => {
    const closing = new WorkerPool({ size: 2 });
    const first = (await Promise.all([closing.run(SAMPLE, { kind: 'whoami' }), closing.run(SAMPLE, { kind: 'whoami' })])) as { threadId: number }[];
    const controller = new AbortController();
    const spinning = [
      closing.run(SAMPLE, { kind: 'spin' }, { signal: controller.signal }),
      closing.run(SAMPLE, { kind: 'spin' }, { signal: controller.signal }),
    ];
    closing.beginClose();
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    for (const task of spinning) await expect(task).rejects.toThrow('shutting down');
    // The spinning workers were not replaced: no thread but the two first ones has ever run.
    const threads = (closing as unknown as { pool: { threads: { threadId: number }[] } }).pool.threads.map((t) => t.threadId).sort();
    expect(threads).toEqual(first.map((a) => a.threadId).sort());
    await closing.close();
  });
});
