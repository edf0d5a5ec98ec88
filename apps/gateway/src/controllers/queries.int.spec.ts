import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateSchema } from '@vista/db';
// The gateway reads the tables the projector migrates; testing on its real migrations keeps the two in step.

import { readModelMigrations } from '@vista/read-model';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, startGateway } from '../testing/gateway.harness.js';
import { fetchAs } from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

const KIT = 42;
const RUN_OLD = randomUUID();
const RUN = randomUUID();
const DECK_JOB = randomUUID();
const DOE_JOB = randomUUID();
const OLD_DOE_JOB = randomUUID();
const DECK_ID = randomUUID();

let gw: GatewayHarness;

const get = (path: string, headers: Record<string, string> = {}) => fetchApi(`${gw.url}${path}`, { headers });

async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, any>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Record<string, any>;
  expect(problem).toMatchObject({ type: `https://vista.dev/problems/${code}`, status });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  expect(typeof problem.instance).toBe('string');
  return problem;
}

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  fetchApi = fetchAs(await gw.identity.headers({ roles: ['admin'] }));
  // Kit 42: an earlier run reached DOE; the latest run is in its DOE stage after deck collection.
  await insertRows(gw.db, 'kits', [
    F.kit({
      kit_id: KIT,
      last_run_id: RUN,
      status: 'RUNNING',
      current_task: 'doe',
      current_order: 2,
      runs: 2,
      position: 30,
      updated_at: new Date('2026-03-02T10:00:00Z'),
    }),
    ...Array.from({ length: 5 }, (_, i) =>
      F.kit({ kit_id: 100 + i, last_run_id: randomUUID(), position: 10 + i, updated_at: new Date(Date.UTC(2026, 1, 1 + i)) }),
    ),
  ]);
  await insertRows(gw.db, 'runs', [F.run({ run_id: RUN, kit_id: KIT, position: 20, params: JSON.stringify({ design: 'lhs' }) })]);
  await insertRows(gw.db, 'kit_state', [
    F.kitState({ kit_id: KIT, run_id: RUN, job_id: DECK_JOB, status: 'SUCCESS', finished_at: new Date('2026-03-02T09:59:00Z'), position: 26 }),
    F.kitState({ kit_id: KIT, run_id: RUN, job_id: DOE_JOB, job_type: 'doe', task_name: 'doe', current_order: 2, position: 29 }),
    // Left from the earlier run: not part of the latest run's state.
    F.kitState({ kit_id: KIT, run_id: RUN_OLD, job_id: randomUUID(), job_type: 'ml', task_name: 'preprocess', current_order: 3, position: 12 }),
  ]);
  await insertRows(gw.db, 'deck_collection', [
    F.deckCollection({
      job_id: DECK_JOB,
      run_id: RUN,
      kit_id: KIT,
      status: 'SUCCESS',
      row_count: 120,
      factors: JSON.stringify(['t', 'p']),
      responses: JSON.stringify(['y']),
      position: 27,
    }),
  ]);
  const stage = { kit_id: KIT, attempt: 1, created_at: new Date(), updated_at: new Date() };
  await insertRows(gw.db, 'doe_step', [
    { ...stage, job_id: DOE_JOB, run_id: RUN, status: 'RUNNING', data_info: JSON.stringify({ design: 'lhs', points: 64 }), position: 31 },
    { ...stage, job_id: OLD_DOE_JOB, run_id: RUN_OLD, status: 'SUCCESS', position: 40 },
  ]);
  await insertRows(
    gw.db,
    'state_history',
    Array.from({ length: 7 }, (_, i) => F.history({ kit_id: KIT, run_id: RUN, job_id: DECK_JOB, position: 21 + i, status: i === 0 ? 'PENDING' : 'RUNNING' })),
  );
  await insertRows(gw.db, 'decks', [F.deck({ deck_id: DECK_ID, position: 5 })]);
  await gw.db
    .withSchema('read')
    .updateTable('projector_status')
    .set({ position: 45, applied_events: 45, lag_events: 3, lag_seconds: 0.4, heartbeat_at: new Date('2026-03-02T10:00:01Z') })
    .where('projector', '=', 'projector')
    .execute();
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('GET /api/v1/kits/{kitId}/state', () => {
  it('answers the kit at three depths for its latest run, with its freshness', async () => {
    const response = await get(`/api/v1/kits/${KIT}/state`);
    expect(response.status).toBe(200);
    const state = (await response.json()) as Record<string, any>;
    expect(state.kitId).toBe(KIT);
    expect(state.overall).toMatchObject({
      kitId: KIT,
      runId: RUN,
      status: 'RUNNING',
      currentTask: 'doe',
      currentOrder: 2,
      runs: 2,
      position: 30,
      updatedAt: '2026-03-02T10:00:00.000Z',
    });
    expect(state.links).toEqual({
      self: `/api/v1/kits/${KIT}/state`,
      history: `/api/v1/kits/${KIT}/history`,
      run: `/api/v1/runs/${RUN}`,
      tasks: `/api/v1/runs/${RUN}/tasks`,
      details: `/api/v1/runs/${RUN}/details`,
    });
    const tasks = (await (await get(state.links.tasks)).json()) as Record<string, any>;
    expect(tasks.runId).toBe(RUN);
    expect(tasks.items.map((j: any) => [j.taskName, j.status, j.runId])).toEqual([
      ['deck_collection', 'SUCCESS', RUN],
      ['doe', 'RUNNING', RUN],
    ]);
    expect(tasks.items[0]).toMatchObject({ jobId: DECK_JOB, jobType: 'deck', attempt: 1, finishedAt: '2026-03-02T09:59:00.000Z', metadata: {} });
    const details = (await (await get(state.links.details)).json()) as Record<string, any>;
    expect(details.deckCollection).toEqual([expect.objectContaining({ jobId: DECK_JOB, runId: RUN, rowCount: 120, factors: ['t', 'p'], status: 'SUCCESS' })]);
    expect(details.doe).toEqual([expect.objectContaining({ jobId: DOE_JOB, dataInfo: { design: 'lhs', points: 64 }, position: 31 })]);
    expect(details.ml).toEqual([]);
    expect(details.optimize).toEqual([]);
    expect(state.freshness).toEqual({
      position: 31,
      projector: { position: 45, lagEvents: 3, lagSeconds: 0.4, heartbeatAt: '2026-03-02T10:00:01.000Z' },
    });
  });

  it('is versioned by the highest position over the rows it was built from', async () => {
    const response = await get(`/api/v1/kits/${KIT}/state`);
    expect(response.headers.get('etag')).toBe(`W/"kit-${KIT}-31"`);
    expect(response.headers.get('vista-position')).toBe('31');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 304 without a body while the ETag still matches', async () => {
    const response = await get(`/api/v1/kits/${KIT}/state`, { 'If-None-Match': `W/"kit-${KIT}-31"` });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect(response.headers.get('etag')).toBe(`W/"kit-${KIT}-31"`);
  });

  it('answers the new state once a row of the kit moved on', async () => {
    await gw.db.withSchema('read').updateTable('kit_state').set({ status: 'SUCCESS', position: 33 }).where('job_id', '=', DOE_JOB).execute();
    const response = await get(`/api/v1/kits/${KIT}/state`, { 'If-None-Match': `W/"kit-${KIT}-31"` });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`W/"kit-${KIT}-33"`);
    const { links } = (await response.json()) as any;
    expect(((await (await get(links.tasks)).json()) as any).items[1].status).toBe('SUCCESS');
  });

  it('answers 404 for a kit the read model does not know', async () => {
    const problem = await expectProblem(await get('/api/v1/kits/777/state'), 404, 'not-found');
    expect(problem.instance).toBe('/api/v1/kits/777/state');
    expect(await expectProblem(await get('/api/v1/kits/777/state', { 'If-None-Match': 'W/"kit-777-1"' }), 404, 'not-found')).toBeDefined();
  });

  it.each(['tasks', 'details'])('answers 404 for the %s of a run the read model does not know, and 400 naming runId for a malformed one', async (part) => {
    const unknown = randomUUID();
    const problem = await expectProblem(await get(`/api/v1/runs/${unknown}/${part}`), 404, 'not-found');
    expect(problem.detail).toContain(unknown);
    const invalid = await expectProblem(await get(`/api/v1/runs/not-a-run/${part}`), 400, 'invalid');
    expect(invalid.errors.map((e: { path: string }) => e.path)).toEqual(['runId']);
  });

  it("serves an older run's tasks and stage rows at their own URLs too", async () => {
    const tasks = (await (await get(`/api/v1/runs/${RUN_OLD}/tasks`)).json()) as Record<string, any>;
    expect(tasks.runId).toBe(RUN_OLD);
    const details = (await (await get(`/api/v1/runs/${RUN_OLD}/details`)).json()) as Record<string, any>;
    expect(details.doe).toEqual([expect.objectContaining({ jobId: OLD_DOE_JOB, runId: RUN_OLD })]);
  });

  it.each(['0', '-1', 'abc', String(2 ** 31)])('answers 400 naming kitId for the kit id %s', async (kitId) => {
    const problem = await expectProblem(await get(`/api/v1/kits/${kitId}/state`), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toContain('kitId');
  });
});

describe('GET /api/v1/kits', () => {
  it('pages the kits, the most recently updated first', async () => {
    const first = (await (await get('/api/v1/kits?page=1&pageSize=4')).json()) as any;
    expect(first).toMatchObject({ page: 1, pageSize: 4, total: 6 });
    expect(first.items.map((k: any) => k.kitId)).toEqual([KIT, 104, 103, 102]);
    const second = (await (await get('/api/v1/kits?page=2&pageSize=4')).json()) as any;
    expect(second.items.map((k: any) => k.kitId)).toEqual([101, 100]);
  });

  it('answers 400 for a page size out of range', async () => {
    const problem = await expectProblem(await get('/api/v1/kits?pageSize=1000'), 400, 'invalid');
    expect(problem.errors).toEqual([{ path: 'pageSize', message: 'pageSize must not be greater than 200' }]);
  });
});

describe('GET /api/v1/kits/{kitId}/history', () => {
  it('answers state changes by position, page after page', async () => {
    const first = (await (await get(`/api/v1/kits/${KIT}/history?limit=4`)).json()) as any;
    expect(first.items.map((h: any) => h.position)).toEqual([21, 22, 23, 24]);
    expect(first.nextAfterPosition).toBe(24);
    const rest = (await (await get(`/api/v1/kits/${KIT}/history?limit=4&afterPosition=24`)).json()) as any;
    expect(rest.items.map((h: any) => h.position)).toEqual([25, 26, 27]);
    expect(rest.nextAfterPosition).toBeNull();
    expect(rest.items[0]).toMatchObject({ kitId: KIT, runId: RUN, jobId: DECK_JOB, taskName: 'deck_collection', status: 'RUNNING' });
  });

  it('answers 404 for an unknown kit', async () => {
    await expectProblem(await get('/api/v1/kits/777/history'), 404, 'not-found');
  });
});

describe('GET /api/v1/runs/{runId} and /api/v1/decks/{deckId}', () => {
  it('answers a run', async () => {
    const response = await get(`/api/v1/runs/${RUN}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ runId: RUN, kitId: KIT, params: { design: 'lhs' }, sourcePath: 'plant-a/march.csv', status: 'RUNNING' });
  });

  it('answers 400 for a run id that is not a UUID and 404 for an unknown run', async () => {
    await expectProblem(await get('/api/v1/runs/not-a-run'), 400, 'invalid');
    await expectProblem(await get(`/api/v1/runs/${randomUUID()}`), 404, 'not-found');
  });

  it('answers a deck with an ETag, and 304 for a matching If-None-Match', async () => {
    const response = await get(`/api/v1/decks/${DECK_ID}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`W/"deck-${DECK_ID}-5"`);
    expect(await response.json()).toMatchObject({ deckId: DECK_ID, datasetType: 'Vector', factors: ['temperature', 'pressure'], rowCount: 120 });
    const again = await get(`/api/v1/decks/${DECK_ID}`, { 'If-None-Match': `W/"deck-${DECK_ID}-5"` });
    expect(again.status).toBe(304);
  });
});

describe('errors outside the routes', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const problem = await expectProblem(await get('/api/v1/nothing-here'), 404, 'not-found');
    expect(problem.detail).toBe('no such resource: GET /api/v1/nothing-here');
  });
});
