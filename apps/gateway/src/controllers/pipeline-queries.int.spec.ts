import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateSchema } from '@vista/db';
// The gateway reads the tables the projector migrates; testing on its real migrations keeps the two in step.

import { readModelMigrations, summaryOf } from '@vista/read-model';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, startGateway } from '../testing/gateway.harness.js';
import { fetchAs } from '@vista/testing';
import { KIT_LISTING } from '../queries/kit.queries.js';
import { encodeCursor } from '../queries/listing.js';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

const KIT = 43;
const RUN = randomUUID();
const DECK_JOB = randomUUID();
const DOE_JOB = randomUUID();
const ML_JOB = randomUUID();
const OPT_JOB = randomUUID();
const MODEL = randomUUID();
const OTHER_MODEL = randomUUID();
const OTHER_RUN = randomUUID();
const t = (minute: number, second = 0) => new Date(Date.UTC(2026, 2, 1, 8, minute, second));

let gw: GatewayHarness;

const get = (path: string, headers: Record<string, string> = {}) => fetchApi(`${gw.url}${path}`, { headers });
const json = async (path: string): Promise<any> => {
  const response = await get(path);
  expect(response.status).toBe(200);
  return response.json();
};

async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, any>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Record<string, any>;
  expect(problem).toMatchObject({ type: `https://vista.dev/problems/${code}`, status });
  return problem;
}

/** A stage row's columns once its task completed: the event's detail in `metadata`, its result (without the chain) in `result`. */
const completed = (type: string, detail: Record<string, unknown>) => {
  const { chain: _chain, ...result } = detail;
  const task = { DoeCompleted: 'doe', OptimizeCompleted: 'optimize' }[type] ?? type.replace(/^Ml(\w+)Completed$/, '$1').toLowerCase();
  return {
    metadata: JSON.stringify({ [type]: { completedAt: '2026-03-01T08:00:00.000Z', ...detail } }),
    result: JSON.stringify(result),
    summary: JSON.stringify(summaryOf(result, task)),
  };
};

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  fetchApi = fetchAs(await gw.identity.headers({ roles: ['admin'] }));
  // Kit 43's run went the whole chain: its DOE job failed once and succeeded on the retry.
  await insertRows(gw.db, 'kits', [F.kit({ kit_id: KIT, last_run_id: RUN, status: 'SUCCESS', current_task: 'optimize', current_order: 7, position: 60 })]);
  await insertRows(gw.db, 'runs', [
    F.run({
      run_id: RUN,
      kit_id: KIT,
      status: 'SUCCESS',
      position: 60,
      last_control: JSON.stringify({ action: 'retry', at: '2026-03-01T08:03:00.000Z', reason: 'deck fixed', actor: 'user:ada', position: 20 }),
    }),
  ]);
  const ids = { run_id: RUN, kit_id: KIT };
  await insertRows(gw.db, 'deck_collection', [
    F.deckCollection({ ...ids, job_id: DECK_JOB, status: 'SUCCESS', row_count: 120, factors: JSON.stringify(['t', 'p']), finished_at: t(0, 30), position: 5 }),
  ]);
  await insertRows(gw.db, 'doe_step', [
    F.stage({ ...ids, job_id: DOE_JOB, attempt: 1, status: 'FAILED', reason: 'deck has a constant column', finished_at: t(2), position: 12 }),
    F.stage({
      ...ids,
      job_id: DOE_JOB,
      attempt: 2,
      status: 'SUCCESS',
      requested_at: t(3),
      started_at: t(3, 1),
      finished_at: t(4),
      data_info: JSON.stringify({ rows: 64, columns: 3 }),
      ...completed('DoeCompleted', { designType: 'latin-hypercube', pointCount: 64, datasetId: randomUUID(), dataInfo: { rows: 64, columns: 3 } }),
      position: 30,
    }),
  ]);
  const results: Record<string, [string, Record<string, unknown>]> = {
    preprocess: ['MlPreprocessCompleted', { rowsIn: 64, rowsOut: 63, report: { outliers: { y: 1 } } }],
    scaling: ['MlScalingCompleted', { method: 'standard', scaler: { mean: [1, 2] } }],
    training: ['MlTrainingCompleted', { modelId: MODEL, algorithm: 'ridge', hyperparameters: { alpha: 0.1 } }],
    test: ['MlTestCompleted', { modelId: MODEL, rmse: 0.41, mae: 0.3, r2: 0.93, algorithm: 'ridge', testRows: 13, chain: { deckId: 'd' } }],
  };
  await insertRows(
    gw.db,
    'ml_step',
    // Inserted in reverse: the answer orders steps by their place in the job.
    ['test', 'training', 'scaling', 'preprocess'].map((step) => {
      const order = ['preprocess', 'scaling', 'training', 'test'].indexOf(step) + 1;
      return F.mlStep({
        ...ids,
        job_id: ML_JOB,
        step_name: step,
        step_order: order,
        status: 'SUCCESS',
        requested_at: t(4 + order),
        started_at: t(4 + order, 1),
        finished_at: t(4 + order, 30),
        ...completed(...results[step]!),
        position: 30 + order,
      });
    }),
  );
  await insertRows(gw.db, 'optimize_step', [
    F.stage({
      ...ids,
      job_id: OPT_JOB,
      status: 'SUCCESS',
      requested_at: t(9),
      started_at: t(9, 1),
      finished_at: t(9, 40),
      ...completed('OptimizeCompleted', {
        modelId: MODEL,
        bestFactors: { t: 4.2, p: 1.1 },
        predicted: { y: 0.97 },
        objective: 0.97,
        goal: { kind: 'maximize' },
        evaluations: 640,
        starts: 20,
        trace: [{ evaluation: 1, objective: 0.5 }],
      }),
      position: 40,
    }),
  ]);
  await insertRows(gw.db, 'job_logs', [
    // Attempt 2 first and out of time order: the answer sorts by attempt, time, then line.
    F.jobLog({ ...ids, job_id: DOE_JOB, attempt: 2, seq: 1, at: t(3, 5), message: 'labelled 64 points', position: 29 }),
    F.jobLog({ ...ids, job_id: DOE_JOB, attempt: 2, seq: 0, at: t(3, 2), message: 'design: latin hypercube, 64 points', task: 'doe', position: 29 }),
    F.jobLog({ ...ids, job_id: DOE_JOB, attempt: 1, seq: 0, at: t(1, 2), message: 'design: latin hypercube, 64 points', position: 10 }),
    F.jobLog({ ...ids, job_id: DOE_JOB, attempt: 1, seq: 1, at: t(1, 3), level: 'error', message: 'deck has a constant column', position: 10 }),
  ]);
  await insertRows(gw.db, 'models', [
    F.model({ model_id: MODEL, kit_id: KIT, run_id: RUN, position: 34, registered_at: t(7) }),
    F.model({ model_id: OTHER_MODEL, kit_id: 44, run_id: OTHER_RUN, algorithm: 'random-forest', position: 50, registered_at: t(20) }),
    // Registered before hyperparameters and lineage were recorded.
    F.model({
      model_id: randomUUID(),
      kit_id: 44,
      run_id: OTHER_RUN,
      algorithm: 'ridge',
      position: 51,
      registered_at: t(21),
      hyperparameters: null,
      params: null,
      factors: null,
      response: null,
      lineage: null,
      artifact_digest: null,
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('GET /api/v1/kits/{kitId}/state, per job and per step', () => {
  it('answers the latest run with its last control, and each stage at its newest attempt, in chain order', async () => {
    const state = await json(`/api/v1/kits/${KIT}/state`);
    expect(state.overall).toMatchObject({ kitId: KIT, runId: RUN, status: 'SUCCESS' });
    expect(state.run).toMatchObject({ runId: RUN, status: 'SUCCESS', lastControl: { action: 'retry', reason: 'deck fixed', actor: 'user:ada' } });
    expect(state.stages.map((s: any) => [s.jobType, s.jobId, s.attempt, s.status])).toEqual([
      ['deck', DECK_JOB, 1, 'SUCCESS'],
      ['doe', DOE_JOB, 2, 'SUCCESS'],
      ['ml', ML_JOB, 1, 'SUCCESS'],
      ['optimize', OPT_JOB, 1, 'SUCCESS'],
    ]);
    expect(state.stages[1]).toMatchObject({
      requestedAt: t(3).toISOString(),
      startedAt: t(3, 1).toISOString(),
      finishedAt: t(4).toISOString(),
      reason: null,
      summary: { designType: 'latin-hypercube', pointCount: 64 },
      links: { job: `/api/v1/jobs/${DOE_JOB}`, logs: `/api/v1/jobs/${DOE_JOB}/logs` },
    });
    // The large details are behind the stage's link.
    const doe = await json(state.stages[1].links.job);
    expect(doe.attempts[0]).toMatchObject({ attempt: 2, detail: { designType: 'latin-hypercube', pointCount: 64, dataInfo: { rows: 64, columns: 3 } } });
    expect(state.stages[3].summary).toMatchObject({ bestFactors: { t: 4.2, p: 1.1 }, predicted: { y: 0.97 }, objective: 0.97, goal: { kind: 'maximize' } });
    expect((await json(state.stages[3].links.job)).attempts[0].detail).toMatchObject({
      bestFactors: { t: 4.2, p: 1.1 },
      predicted: { y: 0.97 },
      objective: 0.97,
      goal: { kind: 'maximize' },
    });
  });

  it("answers the ML job's steps in order, each with what it produced", async () => {
    const ml = (await json(`/api/v1/kits/${KIT}/state`)).stages[2];
    expect(ml).toMatchObject({ startedAt: t(5, 1).toISOString(), finishedAt: t(8, 30).toISOString() });
    expect(ml.steps.map((s: any) => [s.stepOrder, s.step, s.status])).toEqual([
      [1, 'preprocess', 'SUCCESS'],
      [2, 'scaling', 'SUCCESS'],
      [3, 'training', 'SUCCESS'],
      [4, 'test', 'SUCCESS'],
    ]);
    expect(ml.steps.map((s: any) => s.summary)).toEqual([
      { rowsIn: 64, rowsOut: 63 },
      { method: 'standard' },
      { modelId: MODEL, algorithm: 'ridge', hyperparameters: { alpha: 0.1 } },
      { rmse: 0.41, mae: 0.3, r2: 0.93, testRows: 13 },
    ]);
    // Each step's whole output is behind the stage's link.
    const job = await json(ml.links.job);
    expect(job.attempts[0].steps.map((s: any) => s.detail)).toEqual([
      { rowsIn: 64, rowsOut: 63, report: { outliers: { y: 1 } } },
      { method: 'standard', scaler: { mean: [1, 2] } },
      { modelId: MODEL, algorithm: 'ridge', hyperparameters: { alpha: 0.1 } },
      { modelId: MODEL, rmse: 0.41, mae: 0.3, r2: 0.93, algorithm: 'ridge', testRows: 13 },
    ]);
    expect(job.attempts[0].detail).toMatchObject({ modelId: MODEL, hyperparameters: { alpha: 0.1 }, rmse: 0.41, r2: 0.93 });
  });

  it('changes its ETag when the run gets a newer stop or retry', async () => {
    const first = await get(`/api/v1/kits/${KIT}/state`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`W/"kit-${KIT}-60"`);
    await gw.db
      .withSchema('read')
      .updateTable('runs')
      .set({ last_control: JSON.stringify({ action: 'stop', at: '2026-03-01T09:00:00.000Z', reason: null, actor: 'anonymous', position: 70 }) })
      .where('run_id', '=', RUN)
      .execute();
    const second = await get(`/api/v1/kits/${KIT}/state`, { 'If-None-Match': etag });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe(`W/"kit-${KIT}-70"`);
    expect(((await second.json()) as any).run.lastControl).toMatchObject({ action: 'stop', position: 70 });
    expect((await get(`/api/v1/kits/${KIT}/state`, { 'If-None-Match': `W/"kit-${KIT}-70"` })).status).toBe(304);
  });
});

describe('GET /api/v1/jobs/{jobId}', () => {
  it('answers every attempt of a job, the newest first, each with its own status, times and reason', async () => {
    const job = await json(`/api/v1/jobs/${DOE_JOB}`);
    expect(job).toMatchObject({ jobId: DOE_JOB, jobType: 'doe', kitId: KIT, runId: RUN });
    expect(job.attempts.map((a: any) => [a.attempt, a.status, a.reason, a.finishedAt])).toEqual([
      [2, 'SUCCESS', null, t(4).toISOString()],
      [1, 'FAILED', 'deck has a constant column', t(2).toISOString()],
    ]);
    expect(job.attempts[1].detail).toBeNull();
  });

  it("answers an ML job's attempt with its four steps", async () => {
    const job = await json(`/api/v1/jobs/${ML_JOB}`);
    expect(job.jobType).toBe('ml');
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0].steps.map((s: any) => s.step)).toEqual(['preprocess', 'scaling', 'training', 'test']);
  });

  it('answers 404 for a job the read model does not know, and 400 for a job id that is not a UUID', async () => {
    await expectProblem(await get(`/api/v1/jobs/${randomUUID()}`), 404, 'not-found');
    const problem = await expectProblem(await get('/api/v1/jobs/doe-1'), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual(['jobId']);
  });
});

describe('GET /api/v1/jobs/{jobId}/logs', () => {
  it("answers the job's lines by attempt, time and line", async () => {
    const page = await json(`/api/v1/jobs/${DOE_JOB}/logs`);
    expect(page).toMatchObject({ jobId: DOE_JOB, attempt: null, nextOffset: null });
    expect(page.items.map((l: any) => [l.attempt, l.seq, l.level, l.message])).toEqual([
      [1, 0, 'info', 'design: latin hypercube, 64 points'],
      [1, 1, 'error', 'deck has a constant column'],
      [2, 0, 'info', 'design: latin hypercube, 64 points'],
      [2, 1, 'info', 'labelled 64 points'],
    ]);
    expect(page.items[2]).toEqual({
      attempt: 2,
      at: t(3, 2).toISOString(),
      seq: 0,
      level: 'info',
      task: 'doe',
      message: 'design: latin hypercube, 64 points',
      position: 29,
    });
  });

  it("answers one attempt's lines, page by page", async () => {
    const first = await json(`/api/v1/jobs/${DOE_JOB}/logs?attempt=1&limit=1`);
    expect(first.items.map((l: any) => l.message)).toEqual(['design: latin hypercube, 64 points']);
    expect(first.nextOffset).toBe(1);
    const second = await json(`/api/v1/jobs/${DOE_JOB}/logs?attempt=1&limit=1&offset=1`);
    expect(second.items.map((l: any) => l.message)).toEqual(['deck has a constant column']);
  });

  it('pages by cursor: each line once, in order, across attempts; a line logged meanwhile does not shift the pages', async () => {
    const lines: string[] = [];
    let page = await json(`/api/v1/jobs/${DOE_JOB}/logs?limit=3`);
    lines.push(...page.items.map((l: any) => `${l.attempt}:${l.seq}`));
    expect(page.nextCursor).toEqual(expect.any(String));
    // A line logged at the start meanwhile (an earlier time of attempt 1) is not in the pages that follow.
    await insertRows(gw.db, 'job_logs', [F.jobLog({ run_id: RUN, kit_id: KIT, job_id: DOE_JOB, attempt: 1, seq: 7, at: t(0), message: 'late', position: 9 })]);
    page = await json(`/api/v1/jobs/${DOE_JOB}/logs?limit=3&cursor=${page.nextCursor}`);
    lines.push(...page.items.map((l: any) => `${l.attempt}:${l.seq}`));
    expect(page).toMatchObject({ nextCursor: null, nextOffset: null });
    expect(lines).toEqual(['1:0', '1:1', '2:0', '2:1']);
    await gw.db.deleteFrom('read.job_logs' as any).where('message', '=', 'late').execute();

    const problem = await expectProblem(await get(`/api/v1/jobs/${DOE_JOB}/logs?cursor=${Buffer.from('["job-logs","x","y","z","w","v"]').toString('base64url')}`), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual(['cursor']);
  });

  it('answers no lines for a known job that logged none, and 404 for an unknown job', async () => {
    expect((await json(`/api/v1/jobs/${OPT_JOB}/logs`)).items).toEqual([]);
    await expectProblem(await get(`/api/v1/jobs/${randomUUID()}/logs`), 404, 'not-found');
  });

  it('answers 400 naming attempt for an attempt of 0', async () => {
    const problem = await expectProblem(await get(`/api/v1/jobs/${DOE_JOB}/logs?attempt=0`), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual(['attempt']);
  });
});

describe('GET /api/v1/models', () => {
  it('pages the models, the most recently registered first', async () => {
    const first = await json('/api/v1/models?pageSize=2');
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(first.items.map((m: any) => m.kitId)).toEqual([44, 44]);
    const second = await json('/api/v1/models?pageSize=2&page=2');
    expect(second.items.map((m: any) => m.modelId)).toEqual([MODEL]);
  });

  it('pages by cursor in the order asked for, each model once, and refuses a cursor of another list', async () => {
    const first = await json('/api/v1/models?pageSize=2');
    expect(first).toMatchObject({ sort: '-registeredAt', nextCursor: expect.any(String) });
    const second = await json(`/api/v1/models?pageSize=2&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ nextCursor: null });
    expect([...first.items, ...second.items].map((m: any) => m.modelId)).toEqual(
      (await json('/api/v1/models?pageSize=10')).items.map((m: any) => m.modelId),
    );
    // By kit, ascending: kit 44's two models come after the other kit's.
    const byKit = await json('/api/v1/models?pageSize=1&sort=kitId');
    const rest = await json(`/api/v1/models?pageSize=10&sort=kitId&cursor=${byKit.nextCursor}`);
    expect([...byKit.items, ...rest.items].map((m: any) => m.kitId)).toEqual([KIT, 44, 44]);

    const kitsCursor = encodeCursor(KIT_LISTING, { sort: KIT_LISTING.defaultSort, value: new Date().toISOString(), id: String(KIT) });
    const problem = await expectProblem(await get(`/api/v1/models?cursor=${kitsCursor}`), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual(['cursor']);
  });

  it('filters by kit, run and algorithm', async () => {
    expect((await json(`/api/v1/models?kitId=${KIT}`)).items.map((m: any) => m.modelId)).toEqual([MODEL]);
    expect((await json(`/api/v1/models?runId=${OTHER_RUN}`)).total).toBe(2);
    expect((await json('/api/v1/models?kitId=44&algorithm=random-forest')).items.map((m: any) => m.modelId)).toEqual([OTHER_MODEL]);
    expect((await json('/api/v1/models?algorithm=gbm')).items).toEqual([]);
  });

  it('answers 400 for a kit id that is not a number', async () => {
    const problem = await expectProblem(await get('/api/v1/models?kitId=abc'), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toContain('kitId');
  });
});

describe('GET /api/v1/models/{modelId}', () => {
  it('answers a model with its hyperparameters, settings and lineage, and 304 for a matching ETag', async () => {
    const response = await get(`/api/v1/models/${MODEL}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`W/"model-${MODEL}-34"`);
    expect(await response.json()).toEqual({
      modelId: MODEL,
      modelVersion: 1,
      kitId: KIT,
      runId: RUN,
      algorithm: 'ridge',
      deckId: expect.any(String),
      datasetId: expect.any(String),
      metrics: { rmse: 0.41, mae: 0.3 },
      r2: 0.93,
      hyperparameters: { alpha: 0.1 },
      params: { scaling: 'standard' },
      factors: ['temperature', 'pressure'],
      response: 'yield',
      lineage: { deckId: 'd', datasetId: 'ds', designType: 'latin-hypercube' },
      artifactDigest: 'sha256:ab12',
      registeredAt: t(7).toISOString(),
      position: 34,
    });
    expect((await get(`/api/v1/models/${MODEL}`, { 'If-None-Match': `W/"model-${MODEL}-34"` })).status).toBe(304);
  });

  it('answers 404 for an unknown model', async () => {
    await expectProblem(await get(`/api/v1/models/${randomUUID()}`), 404, 'not-found');
  });
});
