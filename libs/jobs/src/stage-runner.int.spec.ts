import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { VistaError } from '@vista/contracts';
import { createPool, migrateSchema } from '@vista/db';
import { EventStore } from '@vista/event-store';
import { type TestDatabase, createTestDatabase, waitFor } from '@vista/testing';
import { stageMigrations } from './run-control.js';
import { type LeaseSettings, type StageControl, StageRunner, type StageWork, type StageWorkContext } from './stage-runner.js';
import { WorkerPool } from './worker-pool.js';
import { DOE_SPEC as DOE, ML_SPEC as ML } from './testing/stage-specs.js';

// Real Postgres on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(30_000);

const SCHEMA = 'doe';
const CHAIN = { deckId: randomUUID(), factors: ['x1'], responses: ['y'], params: {} };
const quietLogger = { log: () => undefined, warn: () => undefined, error: (message: string) => console.error(message) };

describe('StageRunner (real Postgres)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<any>;
  let store: EventStore;
  let runners: StageRunner[];
  let pools: WorkerPool[];
  /** What the next job's work does; each test sets it. */
  let work: StageWork;
  /** Short leases, so a takeover happens within a test. */
  const leasing: LeaseSettings = { leaseMs: 1_000, heartbeatMs: 100, pollMs: 200 };

  beforeEach(async () => {
    database = await createTestDatabase('stage_runner');
    pool = createPool({ url: database.url, poolMax: 4, applicationName: 'test-stage-runner' });
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await migrateSchema(db, SCHEMA, stageMigrations(SCHEMA));
    store = new EventStore(db, SCHEMA, pool);
    runners = [];
    pools = [];
  });

  afterEach(async () => {
    for (const runner of runners) await runner.shutdown();
    for (const pool of pools) await pool.close();
    await db?.destroy();
    await database?.drop();
  });

  const newPool = (size: number) => {
    const pool = new WorkerPool({ size });
    pools.push(pool);
    return pool;
  };
  /** A replica: `workers` jobs at once; `start: false` leaves it not taking jobs from the queue. */
  const newRunner = async (options: { workers?: number; leasing?: LeaseSettings; start?: boolean } = {}) => {
    const runner = new StageRunner({
      spec: DOE,
      store,
      db,
      schema: SCHEMA,
      work: (job, context) => work(job, context),
      logger: quietLogger,
      pool: newPool(options.workers ?? 2),
      leasing: options.leasing ?? leasing,
    });
    runners.push(runner);
    if (options.start !== false) await runner.start();
    return runner;
  };
  const trigger = (runId: string, causationId = randomUUID(), timeoutMs = 10_000) => ({
    kitId: 9,
    runId,
    jobId: randomUUID(),
    timeoutMs,
    fields: { deckId: CHAIN.deckId, design: { design: 'latin-hypercube' }, chain: CHAIN },
    causationId,
    correlationId: randomUUID(),
  });
  const control = (runId: string, position: number): StageControl => ({
    kitId: 9,
    runId,
    eventId: randomUUID(),
    position,
    correlationId: randomUUID(),
    actor: 'user:alice',
    reason: 'stopped by alice',
  });
  const types = async (runId: string) =>
    (await store.readStream(`doe-run-${runId}`)).filter((e) => e.type !== 'JobLogged').map((e) => `${e.type}#${e.data.attempt}`);
  const statusOf = (runner: StageRunner, runId: string, status: string) =>
    waitFor(async () => ((await runner.load(runId)).job?.status === status ? true : undefined), `${runner.spec.jobType} job of ${runId} ${status}`, 20_000);
  const completing = async (_job: unknown, context: StageWorkContext) => {
    context.log('designing');
    await context.completeStep('doe', { designType: 'latin-hypercube', pointCount: 10, datasetId: randomUUID(), dataInfo: { points: 10 }, chain: CHAIN });
  };
  /** Work that waits until its signal is aborted (a worker thread terminated). */
  const hanging: StageWork = (_job, context) =>
    new Promise((_resolve, reject) => {
      if (context.signal.aborted) return reject(context.signal.reason);
      context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true });
    });

  it('runs a requested job to SUCCESS, its log recorded with the transitions', async () => {
    work = completing;
    const runner = await newRunner();
    const runId = randomUUID();

    expect(await runner.request(trigger(runId))).toBe('requested');

    await statusOf(runner, runId, 'SUCCESS');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeQueued#1', 'DoeStarted#1', 'DoeCompleted#1']);
    const logged = (await store.readStream(`doe-run-${runId}`)).filter((e) => e.type === 'JobLogged');
    expect(logged.flatMap((e) => (e.data.lines as { message: string }[]).map((l) => l.message))).toEqual([
      `attempt 1 started on ${runner.replicaId}`,
      'designing',
    ]);
  });

  it('starts one job however often its trigger comes, from one runner or two', async () => {
    work = hanging;
    const runId = randomUUID();
    const first = trigger(runId);
    const outcomes = await Promise.all([(await newRunner()).request(first), (await newRunner()).request(first), (await newRunner()).request(trigger(runId))]);

    expect(outcomes.filter((o) => o === 'requested')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    expect((await types(runId)).filter((t) => t.startsWith('DoeRequested'))).toEqual(['DoeRequested#1']);
  });

  it("requests, stops and retries inside callers' transactions, more of them at once than the pool has connections", async () => {
    // Each caller's transaction holds one of the pool's 4 connections: a read taken from the pool instead
    // of through the transaction would wait for a connection that none of them gives back.
    const runner = await newRunner({ start: false });
    const runIds = Array.from({ length: 12 }, () => randomUUID());
    const atOnce = <T>(work: (runId: string) => Promise<T>) =>
      Promise.race([Promise.all(runIds.map(work)), new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000).unref())]);
    expect(await atOnce((runId) => store.inTransaction((trx) => runner.request(trigger(runId), trx)))).toEqual(runIds.map(() => 'requested'));
    const stopped = await atOnce((runId) => store.inTransaction((trx) => runner.stop(control(runId, 10), [], trx)));
    expect(stopped === 'stuck' ? stopped : stopped.map((job) => job?.status)).toEqual(runIds.map(() => 'QUEUED'));
    const retried = await atOnce((runId) => store.inTransaction((trx) => runner.retry(control(runId, 20), [], trx)));
    expect(retried === 'stuck' ? retried : retried.map((job) => job?.attempt)).toEqual(runIds.map(() => 2));
  });

  it('fails the job with the reason the work gives', async () => {
    work = async () => {
      throw new VistaError('invalid', 'factor x1 does not vary in the deck');
    };
    const runner = await newRunner();
    const runId = randomUUID();
    await runner.request(trigger(runId));

    await statusOf(runner, runId, 'FAILED');
    expect((await runner.load(runId)).job?.reason).toBe('factor x1 does not vary in the deck');
  });

  it('ends a job that outlives its timeout TIMEOUT, its work aborted', async () => {
    let aborted = false;
    work = (job, context) => {
      context.signal.addEventListener('abort', () => (aborted = true));
      return hanging(job, context);
    };
    const runner = await newRunner();
    const runId = randomUUID();
    await runner.request(trigger(runId, randomUUID(), 300));

    await statusOf(runner, runId, 'TIMEOUT');
    expect(aborted).toBe(true);
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeQueued#1', 'DoeStarted#1', 'DoeTimedOut#1']);
  });

  it('cancels a running job on stop, and a retry runs attempt 2 to the end keeping attempt 1', async () => {
    work = hanging;
    const runner = await newRunner();
    const runId = randomUUID();
    await runner.request(trigger(runId));
    await statusOf(runner, runId, 'RUNNING');

    await runner.stop(control(runId, 10));
    await statusOf(runner, runId, 'CANCELLED');
    expect((await runner.load(runId)).job?.reason).toBe('stopped by alice');

    work = completing;
    await runner.retry(control(runId, 11));
    await statusOf(runner, runId, 'SUCCESS');
    expect(await types(runId)).toEqual([
      'DoeRequested#1',
      'DoeQueued#1',
      'DoeStarted#1',
      'DoeCancelled#1',
      'DoeRequested#2',
      'DoeQueued#2',
      'DoeStarted#2',
      'DoeCompleted#2',
    ]);
  });

  it('records a trigger that arrives after the run was stopped as CANCELLED at once; the retry starts it', async () => {
    work = completing;
    const runner = await newRunner();
    const runId = randomUUID();
    await runner.stop(control(runId, 20));

    expect(await runner.request(trigger(runId))).toBe('cancelled-stopped');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeCancelled#1']);
    expect((await runner.load(runId)).job?.reason).toBe('the run was stopped before doe began');

    await runner.retry(control(runId, 21));
    await statusOf(runner, runId, 'SUCCESS');
  });

  it('ignores a stop older than the retry already seen (a redelivered control)', async () => {
    work = completing;
    const runner = await newRunner();
    const runId = randomUUID();
    await runner.retry(control(runId, 31));
    await runner.stop(control(runId, 30));

    expect(await runner.request(trigger(runId))).toBe('requested');
    await statusOf(runner, runId, 'SUCCESS');
  });

  it('records a failure after the steps the work reported just before it, in the step that was running', async () => {
    const runner = new StageRunner({
      pool: newPool(1),
      leasing,
      spec: ML,
      store,
      db,
      schema: SCHEMA,
      logger: quietLogger,
      stepRequestFields: (job) => ({ datasetId: job.input.datasetId }),
      // As a worker does: two steps reported (their appends not awaited), then the training throws at once.
      work: async (_job, context) => {
        void context.completeStep('preprocess', { rowsIn: 40, rowsOut: 40, report: {} }).catch(() => undefined);
        void context.completeStep('scaling', { method: 'standard', scaler: {} }).catch(() => undefined);
        throw new VistaError('invalid', 'the response y is constant (4.2) on all 40 rows: nothing to learn');
      },
    });
    runners.push(runner);
    await runner.start();
    const runId = randomUUID();
    await runner.request({ ...trigger(runId), fields: { datasetId: randomUUID(), chain: CHAIN } });

    await statusOf(runner, runId, 'FAILED');
    const events = (await store.readStream(`ml-run-${runId}`)).filter((e) => e.type !== 'JobLogged').map((e) => `${e.type}:${e.data.step ?? ''}`);
    expect(events).toEqual([
      'MlStepRequested:preprocess',
      'MlStepQueued:preprocess',
      'MlStepStarted:preprocess',
      'MlPreprocessCompleted:',
      'MlStepRequested:scaling',
      'MlStepStarted:scaling',
      'MlScalingCompleted:',
      'MlStepRequested:training',
      'MlStepStarted:training',
      'MlStepFailed:training',
    ]);
  });

  it('resumes at once a job a replica that shut down left RUNNING (its lease given back)', async () => {
    work = hanging;
    const stopped = await newRunner({ leasing: { ...leasing, leaseMs: 600_000 } });
    const runId = randomUUID();
    await stopped.request(trigger(runId));
    await statusOf(stopped, runId, 'RUNNING');
    await stopped.shutdown();

    work = completing;
    const successor = await newRunner({ leasing: { ...leasing, leaseMs: 600_000 } });
    await statusOf(successor, runId, 'SUCCESS');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeQueued#1', 'DoeStarted#1', 'DoeCompleted#1']);
  });

  it('lets a running job finish on shutdown within the drain, taking no new job meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    work = async (job, context) => {
      await gate;
      await completing(job, context);
    };
    const runner = await newRunner({ workers: 1, leasing: { ...leasing, leaseMs: 600_000 } });
    const running = randomUUID();
    const waiting = randomUUID();
    await runner.request(trigger(running));
    await statusOf(runner, running, 'RUNNING');
    await runner.request(trigger(waiting));

    const stopping = runner.shutdown(10_000);
    release();
    await stopping;

    expect(await types(running)).toEqual(['DoeRequested#1', 'DoeQueued#1', 'DoeStarted#1', 'DoeCompleted#1']);
    expect(await types(waiting)).toEqual(['DoeRequested#1', 'DoeQueued#1']);
  });

  it('hands a job that outlasts the drain back to the queue; the next process resumes it', async () => {
    work = hanging;
    const stopped = await newRunner({ leasing: { ...leasing, leaseMs: 600_000 } });
    const runId = randomUUID();
    await stopped.request(trigger(runId));
    await statusOf(stopped, runId, 'RUNNING');
    await stopped.shutdown(200);

    work = completing;
    const successor = await newRunner({ leasing: { ...leasing, leaseMs: 600_000 } });
    await statusOf(successor, runId, 'SUCCESS');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeQueued#1', 'DoeStarted#1', 'DoeCompleted#1']);
  });

  it('takes over a job whose replica stopped renewing its lease, once the lease runs out', async () => {
    let calls = 0;
    work = (job, context) => {
      calls++;
      return calls === 1 ? hanging(job, context) : completing(job, context);
    };
    // A replica that never renews (as one that died): its lease runs out after leaseMs.
    const dead = await newRunner({ leasing: { ...leasing, heartbeatMs: 600_000, pollMs: 600_000 } });
    const runId = randomUUID();
    await dead.request(trigger(runId));
    await statusOf(dead, runId, 'RUNNING');

    const successor = await newRunner();
    await statusOf(successor, runId, 'SUCCESS');
    expect(calls).toBe(2);
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeQueued#1', 'DoeStarted#1', 'DoeCompleted#1']);
    const lines = (await store.readStream(`doe-run-${runId}`)).filter((e) => e.type === 'JobLogged').flatMap((e) => e.data.lines as { message: string }[]);
    expect(lines.map((l) => l.message)).toContain(
      `attempt 1 taken over at step doe by ${successor.replicaId}: the replica running it stopped renewing its lease`,
    );
  });

  it('runs no more jobs at once than it has workers; the rest wait QUEUED and their timeout counts from RUNNING', async () => {
    let running = 0;
    let most = 0;
    work = async (job, context) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 400));
      running--;
      await completing(job, context);
    };
    const runner = await newRunner({ workers: 1 });
    const runIds = [randomUUID(), randomUUID(), randomUUID()];
    // Each job alone fits its 1.5 s timeout; waiting behind the others it would not, if waiting counted.
    for (const runId of runIds) await runner.request(trigger(runId, randomUUID(), 1_500));
    expect((await runner.load(runIds[2]!)).job?.status).toBe('QUEUED');

    for (const runId of runIds) await statusOf(runner, runId, 'SUCCESS');
    expect(most).toBe(1);
  });

  it('cancels a queued job at once on stop: it never runs', async () => {
    const ran: string[] = [];
    work = (job, context) => {
      ran.push(job.runId);
      return hanging(job, context);
    };
    const runner = await newRunner({ workers: 1 });
    const [busy, waiting] = [randomUUID(), randomUUID()];
    await runner.request(trigger(busy));
    await statusOf(runner, busy, 'RUNNING');
    await runner.request(trigger(waiting));

    await runner.stop(control(waiting, 40));
    expect((await runner.load(waiting)).job?.status).toBe('CANCELLED');
    expect(await runner.queuePositions([waiting])).toEqual(new Map());
    await runner.stop(control(busy, 41));
    await statusOf(runner, busy, 'CANCELLED');
    expect(ran).toEqual([busy]);
  });

  it("takes one kit's single job before another kit's many queued earlier, and a higher priority before both", async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    work = async (job, context) => {
      order.push(job.runId);
      if (order.length === 1) await new Promise<void>((resolve) => (release = resolve));
      await completing(job, context);
    };
    const runner = await newRunner({ workers: 1 });
    const busy = randomUUID();
    await runner.request({ ...trigger(busy), kitId: 1 });
    await waitFor(async () => (order.length === 1 ? true : undefined), 'the first job running');
    const many = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const runId of many) await runner.request({ ...trigger(runId), kitId: 1 });
    const single = randomUUID();
    await runner.request({ ...trigger(single), kitId: 2 });
    const urgent = randomUUID();
    await runner.request({ ...trigger(urgent), kitId: 1, priority: 5 });

    const positions = await runner.queuePositions([...many, single, urgent]);
    expect(positions.get(urgent)).toEqual({ position: 1, waiting: 6 });
    expect(positions.get(single)).toEqual({ position: 2, waiting: 6 });
    expect(many.map((runId) => positions.get(runId)?.position)).toEqual([3, 4, 5, 6]);

    release();
    for (const runId of [...many, single, urgent]) await statusOf(runner, runId, 'SUCCESS');
    expect(order).toEqual([busy, urgent, single, ...many]);
  });

  it('with two replicas runs the work of each job once, and a stop on one replica ends the work running on the other', async () => {
    const calls = new Map<string, number>();
    const aborted = new Set<string>();
    work = async (job, context) => {
      calls.set(job.runId, (calls.get(job.runId) ?? 0) + 1);
      if (job.kitId === 7) {
        context.signal.addEventListener('abort', () => aborted.add(job.runId));
        return hanging(job, context);
      }
      await completing(job, context);
    };
    const [a, b] = [await newRunner(), await newRunner()];
    const runIds = Array.from({ length: 12 }, () => randomUUID());
    await Promise.all(runIds.map((runId, i) => (i % 2 ? a : b).request(trigger(runId))));
    for (const runId of runIds) await statusOf(a, runId, 'SUCCESS');
    expect(runIds.map((runId) => calls.get(runId))).toEqual(runIds.map(() => 1));

    const stopped = randomUUID();
    await a.request({ ...trigger(stopped), kitId: 7 });
    await waitFor(async () => (a.activeRuns().includes(stopped) || b.activeRuns().includes(stopped) ? true : undefined), 'the job running');
    const holder = a.activeRuns().includes(stopped) ? a : b;
    const other = holder === a ? b : a;
    await other.stop({ ...control(stopped, 50), kitId: 7 });
    await waitFor(async () => (aborted.has(stopped) ? true : undefined), 'the work on the other replica aborted');
    expect((await holder.load(stopped)).job?.status).toBe('CANCELLED');
    expect(calls.get(stopped)).toBe(1);
  });
});
