import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type Platform, type TestDatabase, createTestDatabase, startPlatform, uniqueNamespace, waitFor, fetchAs } from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

const EXAMPLES = path.resolve(process.cwd(), 'examples/decks');
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vista-decks-'));
  await copyFile(path.join(EXAMPLES, 'quadratic-surface.csv'), path.join(folder, 'quadratic-surface.csv'));
  // Big enough that validating it takes well over a second.
  const lines = ['a,b,c,d,y'];
  for (let i = 0; i < 400_000; i++) lines.push(`${i % 97},${i % 89},${i % 83},${i % 79},${i % 7}.5`);
  await writeFile(path.join(folder, 'big.csv'), lines.join('\n'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The run's tasks, following the state's link to them. */
const tasksOf = async (gatewayUrl: string, state: KitStateBody): Promise<TaskBody[]> => {
  const res = await fetchApi(`${gatewayUrl}${state.links.tasks}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: TaskBody[] }).items;
};

const jobStatusOf = (gatewayUrl: string, kitId: number, statuses: string[]) =>
  waitFor(
    async () => {
      const res = await fetchApi(`${gatewayUrl}/api/v1/kits/${kitId}/state`);
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as KitStateBody;
      if (!body.links.tasks) return undefined;
      const job = (await tasksOf(gatewayUrl, body)).find((j) => j.taskName === 'deck_collection');
      return job && statuses.includes(job.status) ? job : undefined;
    },
    `kit ${kitId} deck job in ${statuses.join('/')}`,
    30_000,
  );
const CSV = 'x1,x2,y\n0,0,1\n1,0,2\n0,1,3\n1,1,4.5\n';

interface TaskBody {
  jobType: string;
  taskName: string;
  status: string;
  jobId: string;
  reason?: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

interface KitStateBody {
  kitId: number;
  overall: { status: string; runId: string; currentTask: string };
  stages: { jobType: string; status: string; jobId: string }[];
  freshness: { position: number; projector: { lagEvents: number } };
  links: { tasks: string | null; details: string | null };
}

interface RunDetailsBody {
  deckCollection: { status: string; deckId: string | null; rowCount: number | null; reason?: string | null }[];
}

describe('a kit run through the gateway, on the real platform processes', () => {
  let db: TestDatabase;
  let platform: Platform;
  let sql: pg.Pool;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;

  beforeAll(async () => {
    db = await createTestDatabase('e2e');
    platform = await startPlatform({ databaseUrl: db.url, namespace: uniqueNamespace(), env: { DECK_SOURCE_DIR: folder } });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 90_000);

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await db?.drop();
  });

  const eventCount = async () => Number((await sql.query('select count(*) from deck.events')).rows[0].count);

  const stateOf = (kitId: number, predicate: (body: KitStateBody) => boolean) =>
    waitFor(
      async () => {
        const res = await fetchApi(api(`/kits/${kitId}/state`));
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as KitStateBody;
        return predicate(body) ? body : undefined;
      },
      `kit ${kitId} state`,
      30_000,
    );

  /** The run's stage rows, following the state's link to them. */
  const detailsOf = async (state: KitStateBody): Promise<RunDetailsBody> => {
    const res = await fetchApi(`${platform.gatewayUrl}${state.links.details}`);
    expect(res.status).toBe(200);
    return (await res.json()) as RunDetailsBody;
  };

  const upload = (content: string, fields: Record<string, string>, fileName = 'deck.csv') => {
    const form = new FormData();
    form.set('file', new Blob([content], { type: 'text/csv' }), fileName);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return fetchApi(api('/decks'), { method: 'POST', body: form });
  };

  it('collects an uploaded deck and shows every transition, in order, in the read model', async () => {
    const uploaded = await upload(CSV, { name: 'square', datasetType: 'Surf' });
    expect(uploaded.status).toBe(201);
    const deck = (await uploaded.json()) as { deckId: string; rowCount: number };
    expect(deck.rowCount).toBe(4);

    const deckView = await waitFor(async () => {
      const res = await fetchApi(api(`/decks/${deck.deckId}`));
      return res.status === 200 ? ((await res.json()) as { rowCount: number; factors: string[]; statistics: unknown }) : undefined;
    }, 'deck in read model');
    expect(deckView.factors).toEqual(['x1', 'x2']);

    const started = await fetchApi(api('/kits/41/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deckId: deck.deckId }),
    });
    expect(started.status).toBe(202);
    const run = (await started.json()) as { runId: string; jobId: string };

    const state = await stateOf(41, (b) => b.stages.some((j) => j.jobType === 'deck' && j.status === 'SUCCESS'));
    expect(state.overall.runId).toBe(run.runId);
    expect((await detailsOf(state)).deckCollection[0]).toMatchObject({ status: 'SUCCESS', deckId: deck.deckId, rowCount: 4 });
    const deckJob = (await tasksOf(platform.gatewayUrl, state)).find((j) => j.taskName === 'deck_collection')!;
    expect(deckJob.status).toBe('SUCCESS');
    expect(Date.parse(deckJob.startedAt!)).toBeLessThanOrEqual(Date.parse(deckJob.finishedAt!));
    expect(state.freshness.position).toBeGreaterThan(0);

    const history = await sql.query('select status, job_id from read.state_history where kit_id = 41 order by position');
    expect(history.rows.map((r) => r.status)).toEqual(['PENDING', 'QUEUED', 'RUNNING', 'SUCCESS']);
    expect(new Set(history.rows.map((r) => r.job_id))).toEqual(new Set([run.jobId]));
    const kitState = await sql.query("select status from read.kit_state where kit_id = 41 and task_name = 'deck_collection'");
    expect(kitState.rows).toEqual([{ status: 'SUCCESS' }]);
  });

  it('answers 304 to a client that already has the current version', async () => {
    const first = await fetchApi(api('/kits/41/state'));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/kit-41-\d+/);
    const again = await fetchApi(api('/kits/41/state'), { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('reads a deck from the configured folder when the run names a file', async () => {
    const started = await fetchApi(api('/kits/42/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourcePath: 'quadratic-surface.csv' }),
    });
    expect(started.status).toBe(202);
    const state = await stateOf(42, (b) => b.stages.some((d) => d.jobType === 'deck' && d.status === 'SUCCESS'));
    expect((await detailsOf(state)).deckCollection[0]!.rowCount).toBe(300);
  });

  it('refuses a deck with a non-numeric cell, naming the row and column, and stores nothing', async () => {
    const before = await eventCount();
    const res = await upload('x1,y\n1,2\n2,abc\n3,4\n', { name: 'broken', datasetType: 'Vector' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toMatch(/row 2/);
    expect(problem.detail).toMatch(/"y"|column y/);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    ['an unknown field', '/kits/43/runs', { sourcePath: 'quadratic-surface.csv', colour: 'red' }, 400],
    ['a wrong type', '/kits/43/runs', { deckId: 12 }, 400],
    ['a kit id of zero', '/kits/0/runs', { sourcePath: 'quadratic-surface.csv' }, 400],
    ['a kit id that is not a number', '/kits/abc/runs', { sourcePath: 'quadratic-surface.csv' }, 400],
    ['a kit id beyond 32 bits', '/kits/2147483648/runs', { sourcePath: 'quadratic-surface.csv' }, 400],
    ['a deck that does not exist', '/kits/43/runs', { deckId: '8a3e7f3c-2f1e-4c59-9a51-111111111111' }, 404],
    ['a file outside the deck folder', '/kits/43/runs', { sourcePath: '../package.json' }, 400],
  ])('answers %s with problem+json and writes nothing', async (_what, url, body, status) => {
    const before = await eventCount();
    const res = await fetchApi(api(url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('stops a running job: it ends CANCELLED and never completes', async () => {
    const started = await fetchApi(api('/kits/45/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourcePath: 'big.csv' }),
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    // The gateway checks a control against the run in the read model: wait until the projector shows it.
    await jobStatusOf(platform.gatewayUrl, 45, ['PENDING', 'RUNNING']);
    const stopped = await fetchApi(api(`/runs/${runId}/control`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'stop', reason: 'wrong deck' }),
    });
    expect(stopped.status).toBe(202);
    const job = await jobStatusOf(platform.gatewayUrl, 45, ['CANCELLED', 'SUCCESS', 'FAILED']);
    expect(job.status).toBe('CANCELLED');
    expect(job.reason).toBe('wrong deck');
    const history = await sql.query('select status from read.state_history where kit_id = 45 order by position');
    expect(history.rows.map((r) => r.status)).not.toContain('SUCCESS');
  });

  it('refuses a huge JSON body with 413 and writes nothing', async () => {
    const before = await eventCount();
    const res = await fetchApi(api('/kits/44/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourcePath: 'quadratic-surface.csv', params: { blob: 'x'.repeat(2_000_000) } }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('answers a body nested 10,000 levels deep with 400 naming the body, and writes nothing', async () => {
    const before = await eventCount();
    const nested = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const res = await fetchApi(api('/kits/44/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"sourcePath":"quadratic-surface.csv","params":${nested}}`,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['body']);
    expect(await eventCount()).toBe(before);
  });
});

describe('jobs that run too long or are stopped', () => {
  let db: TestDatabase;
  let platform: Platform;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_jobs');
    platform = await startPlatform({ databaseUrl: db.url, namespace: uniqueNamespace(), env: { DECK_SOURCE_DIR: folder, DECK_JOB_TIMEOUT_MS: '300' } });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('ends a job that exceeds its timeout TIMEOUT', async () => {
    const res = await fetchApi(api('/kits/51/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourcePath: 'big.csv' }),
    });
    expect(res.status).toBe(202);
    const job = await jobStatusOf(platform.gatewayUrl, 51, ['TIMEOUT', 'SUCCESS', 'FAILED']);
    expect(job.status).toBe('TIMEOUT');
  });
});
