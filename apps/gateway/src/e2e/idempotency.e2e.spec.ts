import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type Platform, type TestDatabase, createTestDatabase, startPlatform, uniqueNamespace, waitFor, fetchAs } from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

const EXAMPLES = path.resolve(process.cwd(), 'examples/decks');
/** Short enough that a command held up in the deck service times out at the gateway within the test. */
const COMMAND_TIMEOUT_MS = 5_000;
const CSV = 'x1,x2,y\n0,0,1\n1,0,2\n0,1,3\n1,1,4.5\n';

describe('Idempotency-Key on the commands, on the real platform processes', () => {
  let folder: string;
  let db: TestDatabase;
  let platform: Platform;
  let sql: pg.Pool;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'vista-decks-'));
    await copyFile(path.join(EXAMPLES, 'quadratic-surface.csv'), path.join(folder, 'quadratic-surface.csv'));
    // Big enough that collecting it is still going on when the test stops it.
    const lines = ['a,b,c,d,y'];
    for (let i = 0; i < 400_000; i++) lines.push(`${i % 97},${i % 89},${i % 83},${i % 79},${i % 7}.5`);
    await writeFile(path.join(folder, 'big.csv'), lines.join('\n'));
    db = await createTestDatabase('e2e_idempotency');
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace: uniqueNamespace(),
      env: { DECK_SOURCE_DIR: folder, COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) },
    });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    sql = new pg.Pool({ connectionString: db.url, max: 3 });
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await db?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const startRun = (kitId: number, body: unknown, key?: string) =>
    fetchApi(api(`/kits/${kitId}/runs`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key !== undefined ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  const control = (runId: string, body: unknown, key: string) =>
    fetchApi(api(`/runs/${runId}/control`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const upload = (content: string, fields: Record<string, string>, key: string) => {
    const form = new FormData();
    form.set('file', new Blob([content], { type: 'text/csv' }), 'deck.csv');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return fetchApi(api('/decks'), { method: 'POST', body: form, headers: { 'idempotency-key': key } });
  };
  const runsOfKit = async (kitId: number): Promise<string[]> =>
    (await sql.query("select data->>'runId' as run_id from deck.events where type = 'KitRunStarted' and (data->>'kitId')::int = $1", [kitId])).rows.map(
      (r) => r.run_id,
    );
  const answer = async (res: Response) => ({ status: res.status, location: res.headers.get('location'), body: (await res.json()) as Record<string, any> });
  const expectProblem = async (res: Response, status: number, type: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { type: string; detail: string; errors?: { path: string }[] };
    expect(problem.type).toBe(`https://vista.dev/problems/${type}`);
    return problem;
  };

  it('starts one run for a start sent twice with one key, and answers the repeat exactly as the first', async () => {
    const key = randomUUID();
    const first = await answer(await startRun(61, { sourcePath: 'quadratic-surface.csv' }, key));
    const again = await answer(await startRun(61, { sourcePath: 'quadratic-surface.csv' }, key));
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
    expect(await runsOfKit(61)).toEqual([first.body.runId]);
  });

  it('answers 422 to the key sent with another body, and starts nothing more', async () => {
    const key = randomUUID();
    const first = await startRun(62, { sourcePath: 'quadratic-surface.csv' }, key);
    expect(first.status).toBe(202);
    const { runId } = (await first.json()) as { runId: string };
    const problem = await expectProblem(
      await startRun(62, { sourcePath: 'quadratic-surface.csv', params: { doe: { points: 20 } } }, key),
      422,
      'idempotency-key-reused',
    );
    expect(problem.detail).toContain(key);
    // The same key on another kit is another request on the same route.
    await expectProblem(await startRun(63, { sourcePath: 'quadratic-surface.csv' }, key), 422, 'idempotency-key-reused');
    expect(await runsOfKit(62)).toEqual([runId]);
    expect(await runsOfKit(63)).toEqual([]);
  });

  it.each([
    ['longer than 200 characters', 'k'.repeat(201)],
    ['empty', ''],
    ['not printable ASCII', 'clé-1'],
  ])('answers 400 naming the header for a key %s, and starts nothing', async (_what, key) => {
    const problem = await expectProblem(await startRun(64, { sourcePath: 'quadratic-surface.csv' }, key), 400, 'invalid');
    expect(problem.detail).toContain('Idempotency-Key');
    expect(problem.errors?.map((e) => e.path)).toEqual(['header Idempotency-Key']);
    expect(await runsOfKit(64)).toEqual([]);
  });

  it('answers a repeat after a gateway timeout with the run the first request started after all', async () => {
    const key = randomUUID();
    // Hold up the deck service's write of the key (as a slow database would) until the gateway gives up.
    const blocker = await sql.connect();
    let first: Response;
    try {
      await blocker.query('begin');
      await blocker.query('lock table deck.idempotent_commands in share mode');
      first = await startRun(65, { sourcePath: 'quadratic-surface.csv' }, key);
    } finally {
      await blocker.query('rollback');
      blocker.release();
    }
    await expectProblem(first, 503, 'timeout');
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
    // The command went on in the deck service once the table was free.
    const [runId] = await waitFor(async () => {
      const runs = await runsOfKit(65);
      return runs.length > 0 ? runs : undefined;
    }, 'the timed-out start to complete in the deck service');
    const again = await answer(await startRun(65, { sourcePath: 'quadratic-surface.csv' }, key));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ kitId: 65, runId });
    expect(await runsOfKit(65)).toEqual([runId]);
  }, 60_000);

  it('stops a run once for a stop sent twice with one key, answering the repeat like the first; the key cannot then retry', async () => {
    const started = await startRun(66, { sourcePath: 'big.csv' });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    // The gateway checks a control against the run in the read model: wait until the projector shows it.
    await waitFor(async () => ((await fetchApi(api(`/runs/${runId}`))).status === 200 ? true : undefined), 'the run in the read model');
    const key = randomUUID();
    const first = await answer(await control(runId, { action: 'stop', reason: 'wrong deck' }, key));
    expect(first.status).toBe(202);
    // Once the read model shows the run CANCELLED, a new stop would be refused (409); the repeat still gets the first answer.
    await waitFor(async () => {
      const run = (await (await fetchApi(api(`/runs/${runId}`))).json()) as { status: string };
      return run.status === 'CANCELLED' ? true : undefined;
    }, 'the run CANCELLED in the read model');
    const again = await answer(await control(runId, { action: 'stop', reason: 'wrong deck' }, key));
    expect(again).toEqual(first);
    await expectProblem(await control(runId, { action: 'retry' }, key), 422, 'idempotency-key-reused');
    await expectProblem(await control(runId, { action: 'stop', reason: 'wrong deck' }, randomUUID()), 409, 'conflict');
    const stops = await sql.query("select count(*)::int as n from deck.events where type = 'KitRunStopped' and data->>'runId' = $1", [runId]);
    expect(stops.rows).toEqual([{ n: 1 }]);
  }, 60_000);

  it('stores one deck for an upload sent twice with one key, and answers 422 to another file under it', async () => {
    const key = randomUUID();
    const first = await answer(await upload(CSV, { name: 'square', datasetType: 'Surf' }, key));
    expect(first.status).toBe(201);
    const again = await answer(await upload(CSV, { name: 'square', datasetType: 'Surf' }, key));
    expect(again).toEqual(first);
    await expectProblem(await upload(`${CSV}2,2,7\n`, { name: 'square', datasetType: 'Surf' }, key), 422, 'idempotency-key-reused');
    const decks = await sql.query("select deck_id from deck.decks where name = 'square'");
    expect(decks.rows).toEqual([{ deck_id: first.body.deckId }]);
  });
});
