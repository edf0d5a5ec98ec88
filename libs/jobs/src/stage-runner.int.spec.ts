import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { VistaError } from '@vista/contracts';
import { createPool, migrateSchema } from '@vista/db';
import { EventStore } from '@vista/event-store';
import { type TestDatabase, createTestDatabase, waitFor } from '@vista/testing';
import { stageMigrations } from './run-control.js';
import { type StageControl, StageRunner, type StageWork, type StageWorkContext } from './stage-runner.js';
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
  /** What the next job's work does; each test sets it. */
  let work: StageWork;

  beforeEach(async () => {
    database = await createTestDatabase('stage_runner');
    pool = createPool({ url: database.url, poolMax: 4, applicationName: 'test-stage-runner' });
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await migrateSchema(db, SCHEMA, stageMigrations(SCHEMA));
    store = new EventStore(db, SCHEMA, pool);
    runners = [];
  });

  afterEach(async () => {
    for (const runner of runners) await runner.shutdown();
    await db?.destroy();
    await database?.drop();
  });

  const newRunner = () => {
    const runner = new StageRunner({ spec: DOE, store, db, schema: SCHEMA, work: (job, context) => work(job, context), logger: quietLogger });
    runners.push(runner);
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
  const types = async (runId: string) => (await store.readStream(`doe-run-${runId}`)).filter((e) => e.type !== 'JobLogged').map((e) => `${e.type}#${e.data.attempt}`);
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
    const runner = newRunner();
    const runId = randomUUID();

    expect(await runner.request(trigger(runId))).toBe('requested');

    await statusOf(runner, runId, 'SUCCESS');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeStarted#1', 'DoeCompleted#1']);
    const logged = (await store.readStream(`doe-run-${runId}`)).filter((e) => e.type === 'JobLogged');
    expect(logged.flatMap((e) => (e.data.lines as { message: string }[]).map((l) => l.message))).toEqual(['attempt 1 started', 'designing']);
  });

  it('starts one job however often its trigger comes, from one runner or two', async () => {
    work = hanging;
    const runId = randomUUID();
    const first = trigger(runId);
    const outcomes = await Promise.all([newRunner().request(first), newRunner().request(first), newRunner().request(trigger(runId))]);

    expect(outcomes.filter((o) => o === 'requested')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    expect((await types(runId)).filter((t) => t.startsWith('DoeRequested'))).toEqual(['DoeRequested#1']);
  });

  it('fails the job with the reason the work gives', async () => {
    work = async () => {
      throw new VistaError('invalid', 'factor x1 does not vary in the deck');
    };
    const runner = newRunner();
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
    const runner = newRunner();
    const runId = randomUUID();
    await runner.request(trigger(runId, randomUUID(), 300));

    await statusOf(runner, runId, 'TIMEOUT');
    expect(aborted).toBe(true);
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeStarted#1', 'DoeTimedOut#1']);
  });

  it('cancels a running job on stop, and a retry runs attempt 2 to the end keeping attempt 1', async () => {
    work = hanging;
    const runner = newRunner();
    const runId = randomUUID();
    await runner.request(trigger(runId));
    await statusOf(runner, runId, 'RUNNING');

    await runner.stop(control(runId, 10));
    await statusOf(runner, runId, 'CANCELLED');
    expect((await runner.load(runId)).job?.reason).toBe('stopped by alice');

    work = completing;
    await runner.retry(control(runId, 11));
    await statusOf(runner, runId, 'SUCCESS');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeStarted#1', 'DoeCancelled#1', 'DoeRequested#2', 'DoeStarted#2', 'DoeCompleted#2']);
  });

  it('records a trigger that arrives after the run was stopped as CANCELLED at once; the retry starts it', async () => {
    work = completing;
    const runner = newRunner();
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
    const runner = newRunner();
    const runId = randomUUID();
    await runner.retry(control(runId, 31));
    await runner.stop(control(runId, 30));

    expect(await runner.request(trigger(runId))).toBe('requested');
    await statusOf(runner, runId, 'SUCCESS');
  });

  it('records a failure after the steps the work reported just before it, in the step that was running', async () => {
    const runner = new StageRunner({
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
    const runId = randomUUID();
    await runner.request({ ...trigger(runId), fields: { datasetId: randomUUID(), chain: CHAIN } });

    await statusOf(runner, runId, 'FAILED');
    const events = (await store.readStream(`ml-run-${runId}`)).filter((e) => e.type !== 'JobLogged').map((e) => `${e.type}:${e.data.step ?? ''}`);
    expect(events).toEqual([
      'MlStepRequested:preprocess',
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

  it('resumes a job another process left RUNNING', async () => {
    work = hanging;
    const crashed = newRunner();
    const runId = randomUUID();
    await crashed.request(trigger(runId));
    await statusOf(crashed, runId, 'RUNNING');
    await crashed.shutdown();

    work = completing;
    const successor = newRunner();
    expect(await successor.resumeUnfinished()).toBe(1);
    await statusOf(successor, runId, 'SUCCESS');
    expect(await types(runId)).toEqual(['DoeRequested#1', 'DoeStarted#1', 'DoeCompleted#1']);
  });
});
