import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { createArtifact, fitScaler, trainModel } from '@vista/modeling';
import {
  type Platform,
  type RunningSsoProvider,
  type TestDatabase,
  createTestDatabase,
  ssoLogin,
  startPlatform,
  startSsoProvider,
  testServers,
  uniqueNamespace,
  waitFor,
} from '@vista/testing';
import { ReadModelFactory, insertRows } from '../testing/read-model.factory.js';
import { createDatabase } from '@vista/db';

/**
 * Seed 000 REQ-005 (lot rows) and REQ-006 (the daily batch), every test case, through the gateway with
 * real logins (the local admin and SSO users at a real OpenID Connect provider), the real auth, ml,
 * lot-tracking and projector processes, and the `batch --date=` command a Kubernetes CronJob runs.
 */

// Real processes and a real OIDC provider on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(120_000);

const run = promisify(execFile);

interface Tokens {
  accessToken: string;
  refreshToken: string;
  user: { userId: string; username: string; roles: string[] };
}

const ADMIN = { user: 'root', password: 'root-password-e2e' };
const REGISTRY_MODEL = randomUUID();
const FACTORS = ['temperature', 'pressure'];
const TODAY = new Date().toISOString().slice(0, 10);
/** An attempt without a heartbeat for this long is found abandoned by the next run. */
const STALE_MS = 2_000;

/** A ridge model of a critical dimension over temperature and pressure, as the ml pipeline stores it. */
function artifact(): string {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 200; i++) {
    const row = [300 + ((i * 7) % 97), 1 + ((i * 13) % 89) / 30];
    X.push(row);
    y.push(0.05 * row[0]! - 2 * row[1]! + 10);
  }
  const model = trainModel(X, y, { algorithm: 'ridge', hyperparameters: {} });
  return JSON.stringify(createArtifact({ factors: FACTORS, response: 'cd', scaler: fitScaler(X, 'none'), model, X }));
}

describe('lot tracking and its daily batch through the gateway (auth, ml, lot-tracking, projector processes; real logins)', () => {
  let db: TestDatabase;
  let sso: RunningSsoProvider;
  let platform: Platform;
  let sql: pg.Pool;
  let namespace: string;
  let root: Tokens;
  let alice: Tokens;
  let bob: Tokens;
  let setupModelId: string;

  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;
  const as = (tokens: Tokens | undefined, method: string, p: string, body?: unknown) =>
    fetch(api(p), {
      method,
      headers: {
        ...(tokens ? { authorization: `Bearer ${tokens.accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T = Record<string, any>>(response: Response, status: number): Promise<T> => {
    const body = (await response.json()) as T;
    expect({ status: response.status, body }).toMatchObject({ status });
    return body;
  };
  const login = (username: string) => ssoLogin<Tokens>(platform.gatewayUrl, { username, password: `${username}-password` });
  /** A user asks for a role, the local admin approves, the user's next token carries it. */
  const grantRole = async (tokens: Tokens, role: string): Promise<Tokens> => {
    const request = await json(await as(tokens, 'POST', '/role-requests', { role, reason: 'lot tracking' }), 201);
    await json(await as(root, 'POST', `/role-requests/${request.requestId}/decision`, { decision: 'approved', reason: 'ok' }), 200);
    return json<Tokens>(await as(undefined, 'POST', '/auth/refresh', { refreshToken: tokens.refreshToken }), 200);
  };
  const row = (o: Record<string, unknown> = {}) => ({
    lotId: `A24${Math.floor(Math.random() * 1e6)}.01`,
    product: 'DRAM-D1B-16G',
    processStep: 'ETCH-120',
    equipment: 'EQ-ETCH-07',
    waferCount: 25,
    setupModelId,
    factors: { temperature: 350, pressure: 2.1 },
    ...o,
  });
  const batchDone = (attemptId: string) =>
    waitFor(
      async () => {
        const attempt = await json(await as(root, 'GET', `/batches/${attemptId}`), 200);
        return attempt.status !== 'running' && attempt;
      },
      `batch attempt ${attemptId} to end`,
      90_000,
      200,
    );
  const runBatch = async (date: string) => {
    const started = await json(await as(root, 'POST', '/batches', { date }), 202);
    return started.status === 'running' ? batchDone(started.attemptId) : started;
  };
  const allResults = async (date: string) => {
    const items: Record<string, any>[] = [];
    let cursor: string | null = null;
    let attemptId: string | null = null;
    do {
      const page: Record<string, any> = await json(await as(alice, 'GET', `/lots/results?date=${date}&limit=100${cursor ? `&cursor=${cursor}` : ''}`), 200);
      items.push(...page.items);
      cursor = page.nextCursor;
      attemptId = page.attemptId;
    } while (cursor);
    return { attemptId, items };
  };
  const predictDirectly = async (rows: { temperature: number; pressure: number }[]) =>
    (await json(await as(root, 'POST', `/setup-models/${setupModelId}/predict`, { rows }), 200)).predictions as number[];

  beforeAll(async () => {
    db = await createTestDatabase('e2e_lots');
    sso = await startSsoProvider({
      port: 0,
      clientId: 'vista',
      clientSecret: 'e2e-secret',
      redirectUris: ['http://127.0.0.1/api/v1/auth/callback'],
      anyLoopbackPort: true,
    });
    namespace = uniqueNamespace();
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace,
      services: ['auth', 'ml', 'lot-tracking', 'projector', 'gateway'],
      serviceEnv: {
        gateway: { AUTH_RATE_LIMIT: '1000/1m' },
        auth: { VISTA_ADMIN_USER: ADMIN.user, VISTA_ADMIN_PASSWORD: ADMIN.password, SSO_ISSUER: sso.issuer, SSO_CLIENT_SECRET: 'e2e-secret' },
        'lot-tracking': {
          // The schedule fires every 5 seconds here (a daily time in production), for today's date.
          LOT_BATCH_SCHEDULE: '*/5 * * * * *',
          // Small chunks, so a batch of a few hundred rows is still running when it is killed.
          LOT_BATCH_CHUNK_SIZE: '2',
          LOT_BATCH_PREDICT_TIMEOUT_MS: '3000',
          LOT_BATCH_STALE_MS: String(STALE_MS),
        },
      },
    });
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    await sql.query(
      `insert into ml.models (model_id, kit_id, model_version, run_id, job_id, attempt, algorithm, metrics, lineage, artifact, digest)
       values ($1, 41, 1, $2, $3, 1, 'ridge', '{}', '{}', $4::jsonb, 'e2e')`,
      [REGISTRY_MODEL, randomUUID(), randomUUID(), artifact()],
    );
    const kysely = createDatabase({ url: db.url });
    await insertRows(kysely, 'models', [
      ReadModelFactory.model({ model_id: REGISTRY_MODEL, kit_id: 41, run_id: randomUUID(), position: 1, factors: JSON.stringify(FACTORS), response: 'cd' }),
    ]);
    await kysely.destroy();

    root = await json<Tokens>(await as(undefined, 'POST', '/auth/login', { username: ADMIN.user, password: ADMIN.password }), 200);
    alice = await grantRole(await login('alice'), 'logic.general');
    bob = await grantRole(await login('bob'), 'logic.general');
    const model = await json(await as(root, 'POST', '/setup-models', { sourceModelId: REGISTRY_MODEL, name: 'Etch CD, line 3' }), 201);
    setupModelId = model.setupModelId;
    const request = await json(await as(alice, 'POST', `/setup-models/${setupModelId}/access-requests`, { reason: 'track line 3 lots' }), 201);
    await json(await as(root, 'POST', `/model-access-requests/${request.requestId}/decision`, { decision: 'approved', reason: 'ok' }), 200);
    // The lot-tracking service reads model access from the read model: wait until the projector shows the grant.
    await waitFor(
      async () =>
        (
          await sql.query(`select 1 from read.model_access where setup_model_id = $1 and user_id = $2 and status = 'granted'`, [
            setupModelId,
            alice.user.userId,
          ])
        ).rowCount === 1,
      'the access grant in the read model',
    );
  }, 180_000);

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await sso?.close();
    await db?.drop();
  }, 60_000);

  describe('REQ-005: a general user adds the rows lot tracking needs', () => {
    let added: Record<string, any>;

    it('TC-001 adding a row succeeds with a message and the row', async () => {
      const body = row({ lotId: 'A2412345.01', note: 'hot lot' });
      const answer = await json(await as(alice, 'POST', '/lots', body), 201);
      expect(answer).toMatchObject({ added: 1, rows: [{ ...body, status: 'active', version: 1, createdBy: alice.user.userId }] });
      added = answer.rows[0];
    });

    it('TC-002 a row missing required fields is refused, naming each field', async () => {
      const { lotId: _l, waferCount: _w, factors: _f, ...rest } = row();
      const problem = await json(await as(alice, 'POST', '/lots', rest), 400);
      expect(problem.type).toBe('https://vista.dev/problems/invalid');
      expect(new Set(problem.errors.map((e: { path: string }) => e.path))).toEqual(new Set(['lotId', 'waferCount', 'factors']));
    });

    it('TC-003 adding a row that exists is refused with 409', async () => {
      const problem = await json(await as(alice, 'POST', '/lots', { ...row(), lotId: 'A2412345.01', note: 'hot lot' }), 409);
      expect(problem.detail).toContain(`already exists as row ${added.rowId}`);
    });

    it('TC-004 invalid formats are refused, naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ waferCount: 'twenty' }, 'waferCount'],
        [{ waferCount: 26 }, 'waferCount'],
        [{ lotId: 'bad lot id!' }, 'lotId'],
        [{ setupModelId: 'not-a-uuid' }, 'setupModelId'],
        [{ factors: { temperature: 'hot', pressure: 2 } }, 'factors'],
        [{ unknownField: 1 }, 'unknownField'],
      ];
      for (const [change, field] of cases) {
        const problem = await json(await as(alice, 'POST', '/lots', row(change)), 400);
        expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
      }
      // The factors must be the model's: a missing or unknown factor names the field and the factor.
      const wrong = await json(await as(alice, 'POST', '/lots', row({ factors: { temperature: 350, humidity: 40 } })), 400);
      expect(wrong.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'factors', message: expect.stringContaining('pressure') }),
          expect.objectContaining({ path: 'factors', message: expect.stringContaining('humidity') }),
        ]),
      );
      // A model that does not exist.
      const missing = await json(await as(alice, 'POST', '/lots', row({ setupModelId: randomUUID() })), 400);
      expect(missing.errors).toEqual([expect.objectContaining({ path: 'setupModelId', message: expect.stringContaining('does not exist') })]);
    });

    it('TC-005 the added row is in the lot tracking system', async () => {
      expect(await json(await as(alice, 'GET', `/lots/${added.rowId}`), 200)).toEqual(added);
      const list = await json(await as(bob, 'GET', '/lots?lotId=A2412345.01'), 200);
      expect(list).toEqual({ items: [added], nextCursor: null });
      const events = await sql.query(`select type, metadata->>'actor' as actor from lot_tracking.events where stream_id = $1`, [`lot-row-${added.rowId}`]);
      expect(events.rows).toEqual([{ type: 'LotRowAdded', actor: alice.user.userId }]);
    });

    it('adds a row sent twice at once exactly once', async () => {
      const body = row({ lotId: 'RACE-1' });
      const statuses = (await Promise.all([as(alice, 'POST', '/lots', body), as(alice, 'POST', '/lots', body)])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      expect((await json(await as(alice, 'GET', '/lots?lotId=RACE-1'), 200)).items).toHaveLength(1);
    });

    it('refuses a user without access to the assigned model, and a user without a general role', async () => {
      expect(await json(await as(bob, 'POST', '/lots', row()), 403)).toMatchObject({ detail: expect.stringContaining('no access') });
      const carol = await login('carol');
      expect((await as(carol, 'POST', '/lots', row())).status).toBe(403);
    });

    it('adds rows from CSV all or none, reporting every bad line', async () => {
      const header = 'lotId,product,processStep,equipment,waferCount,setupModelId,factor.temperature,factor.pressure';
      const line = (lot: string, wafers: string, temperature = '340') => `${lot},DRAM-D1B-16G,CMP-300,EQ-CMP-02,${wafers},${setupModelId},${temperature},1.8`;
      const before = (await json(await as(alice, 'GET', '/lots?limit=1000'), 200)).items.length;
      const bad = await json(
        await as(alice, 'POST', '/lots/csv', { csv: [header, line('B1', '25'), line('B2', 'many'), line('B3', '25', 'hot'), line('B4', '25')].join('\n') }),
        400,
      );
      expect([...new Set(bad.errors.map((e: { path: string }) => e.path))]).toEqual(['line 3: waferCount', 'line 4: factor.temperature']);
      expect((await json(await as(alice, 'GET', '/lots?limit=1000'), 200)).items.length).toBe(before);
      // A line repeating an existing row refuses the whole file too.
      const duplicate = `${header}\nB5,DRAM-D1B-16G,CMP-300,EQ-CMP-02,25,${setupModelId},340,1.8\nA2412345.01,DRAM-D1B-16G,ETCH-120,EQ-ETCH-07,25,${setupModelId},350,2.1`;
      expect((await json(await as(alice, 'POST', '/lots/csv', { csv: duplicate }), 409)).detail).toContain('line 3');
      const good = await json(
        await as(alice, 'POST', '/lots/csv', { csv: [header, line('B1', '25'), line('B2', '24'), line('B3', '23', '360')].join('\n') }),
        201,
      );
      expect(good.added).toBe(3);
      expect((await json(await as(alice, 'GET', '/lots?limit=1000'), 200)).items.length).toBe(before + 3);
    });

    it('lists by filters and keyset pages, updates with a version guard, and retires without deleting', async () => {
      const page1 = await json(await as(alice, 'GET', '/lots?processStep=CMP-300&limit=2'), 200);
      expect(page1.items.map((r: { lotId: string }) => r.lotId)).toEqual(['B1', 'B2']);
      const page2 = await json(await as(alice, 'GET', `/lots?processStep=CMP-300&limit=2&cursor=${page1.nextCursor}`), 200);
      expect(page2).toMatchObject({ items: [{ lotId: 'B3' }], nextCursor: null });

      const b3 = page2.items[0];
      const updated = await json(await as(alice, 'PATCH', `/lots/${b3.rowId}`, { expectedVersion: 1, waferCount: 22 }), 200);
      expect(updated).toMatchObject({ waferCount: 22, version: 2, lotId: 'B3' });
      expect((await as(alice, 'PATCH', `/lots/${b3.rowId}`, { expectedVersion: 1, waferCount: 21 })).status).toBe(409);
      expect((await as(bob, 'PATCH', `/lots/${b3.rowId}`, { waferCount: 21 })).status).toBe(403);

      const b2 = page1.items[1];
      const retired = await json(await as(alice, 'POST', `/lots/${b2.rowId}/retire`, { reason: 'scrapped' }), 200);
      expect(retired).toMatchObject({ status: 'retired', retiredReason: 'scrapped', version: 2 });
      expect((await json(await as(alice, 'GET', '/lots?processStep=CMP-300'), 200)).items.map((r: { lotId: string }) => r.lotId)).toEqual(['B1', 'B3']);
      expect((await json(await as(alice, 'GET', '/lots?processStep=CMP-300&status=retired'), 200)).items.map((r: { lotId: string }) => r.lotId)).toEqual([
        'B2',
      ]);
      const log = await sql.query(`select type from lot_tracking.events where stream_id = $1 order by stream_version`, [`lot-row-${b2.rowId}`]);
      expect(log.rows.map((r) => r.type)).toEqual(['LotRowAdded', 'LotRowRetired']);
    });
  });

  describe('REQ-006: the daily batch predicts every assigned row and stores the results', () => {
    const DATE = '2026-11-02';
    let first: Record<string, any>;
    let results: Record<string, any>[];

    it('TC-001 a triggered batch stores a result for every active row', async () => {
      expect((await as(alice, 'POST', '/batches', { date: DATE })).status).toBe(403);
      first = await runBatch(DATE);
      const active = (await json(await as(alice, 'GET', '/lots?limit=1000'), 200)).items;
      expect(first).toMatchObject({ status: 'succeeded', businessDate: DATE, trigger: 'api', actor: root.user.userId, current: true });
      expect(first).toMatchObject({ totalRows: active.length, predictedRows: active.length, skippedRows: 0, reason: null });
      expect(first.models).toEqual({ [setupModelId]: { registryModelId: REGISTRY_MODEL, modelVersion: 1 } });
      const stored = await allResults(DATE);
      expect(stored.attemptId).toBe(first.attemptId);
      expect(stored.items.map((r) => r.rowId).sort()).toEqual(active.map((r: { rowId: string }) => r.rowId).sort());
      results = stored.items;
    });

    it('TC-003 the stored results are the predictions of each row with its model version and inputs', async () => {
      const expected = await predictDirectly(results.map((r) => r.factors));
      results.forEach((r, i) => expect(r.prediction).toBeCloseTo(expected[i]!, 9));
      const rows = new Map((await json(await as(alice, 'GET', '/lots?limit=1000'), 200)).items.map((r: { rowId: string }) => [r.rowId, r]));
      for (const r of results) {
        const source = rows.get(r.rowId) as Record<string, any>;
        expect(r).toMatchObject({
          lotId: source.lotId,
          rowVersion: source.version,
          factors: source.factors,
          setupModelId,
          registryModelId: REGISTRY_MODEL,
          modelVersion: 1,
          response: 'cd',
        });
      }
      const csv = await as(alice, 'GET', `/lots/results?date=${DATE}&format=csv`);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await csv.text()).trim().split('\n');
      expect(lines[0]).toBe(
        'businessDate,attemptId,rowId,rowVersion,lotId,product,processStep,equipment,waferCount,setupModelId,registryModelId,modelVersion,response,prediction,factors',
      );
      expect(lines).toHaveLength(results.length + 1);
      // The model filter, and a date without results.
      expect((await json(await as(alice, 'GET', `/lots/results?date=${DATE}&model=${randomUUID()}`), 200)).items).toEqual([]);
      expect(await json(await as(alice, 'GET', '/lots/results?date=2020-01-01'), 200)).toMatchObject({ attemptId: null, items: [] });
      expect((await json(await as(alice, 'GET', '/lots/results?date=2026-02-30'), 400)).errors[0].path).toBe('date');
    });

    it('TC-004 running the same date again changes nothing and records "no change"', async () => {
      const again = await runBatch(DATE);
      expect(again).toMatchObject({ status: 'unchanged', digest: first.digest, current: false, predictedRows: 0 });
      expect(again.reason).toContain(first.attemptId);
      expect(await allResults(DATE)).toEqual({ attemptId: first.attemptId, items: results });
      const events = await sql.query(`select type, data->>'attemptId' as attempt from lot_tracking.events where stream_id = $1 order by global_position`, [
        `lot-batch-${DATE}`,
      ]);
      expect(events.rows.map((e) => e.type)).toEqual(['LotBatchStarted', 'LotBatchCompleted', 'LotBatchUnchanged']);
      const history = await json(await as(alice, 'GET', `/batches?date=${DATE}`), 200);
      expect(history.items.map((a: { attemptId: string; status: string }) => [a.attemptId, a.status])).toEqual([
        [again.attemptId, 'unchanged'],
        [first.attemptId, 'succeeded'],
      ]);
    });

    it("changing one row's factors and rerunning changes exactly that row's result", async () => {
      const target = results.find((r) => r.lotId === 'A2412345.01')!;
      await json(await as(alice, 'PATCH', `/lots/${target.rowId}`, { factors: { temperature: 380, pressure: 1.2 } }), 200);
      const rerun = await runBatch(DATE);
      expect(rerun).toMatchObject({ status: 'succeeded', current: true });
      expect(rerun.digest).not.toBe(first.digest);
      const after = await allResults(DATE);
      expect(after.attemptId).toBe(rerun.attemptId);
      const before = new Map(results.map((r) => [r.rowId, r]));
      const changed = after.items.filter((r) => r.prediction !== before.get(r.rowId)!.prediction || r.rowVersion !== before.get(r.rowId)!.rowVersion);
      expect(changed.map((r) => r.rowId)).toEqual([target.rowId]);
      expect(changed[0]).toMatchObject({ factors: { temperature: 380, pressure: 1.2 }, rowVersion: target.rowVersion + 1 });
      expect(changed[0]!.prediction).toBeCloseTo((await predictDirectly([{ temperature: 380, pressure: 1.2 }]))[0]!, 9);
      results = after.items;
    });

    it('TC-002 a failed batch records its reason and leaves the date as it was', async () => {
      await platform.kill('ml');
      try {
        const failed = await runBatch('2026-11-03');
        expect(failed).toMatchObject({ status: 'failed', current: false });
        expect(failed.reason).toEqual(expect.any(String));
        expect(failed.reason.length).toBeGreaterThan(0);
        expect(await allResults('2026-11-03')).toEqual({ attemptId: null, items: [] });
        const events = await sql.query(
          `select type, data->>'reason' as reason from lot_tracking.events where stream_id = 'lot-batch-2026-11-03' order by global_position`,
        );
        expect(events.rows).toEqual([
          { type: 'LotBatchStarted', reason: null },
          { type: 'LotBatchFailed', reason: failed.reason },
        ]);
        // A failed rerun of a published date keeps its results.
        await json(await as(alice, 'PATCH', `/lots/${results[0]!.rowId}`, { waferCount: 20 }), 200);
        expect(await runBatch(DATE)).toMatchObject({ status: 'failed' });
        expect((await allResults(DATE)).items).toEqual(results);
      } finally {
        await platform.restart('ml');
      }
    });

    it('TC-005 the schedule runs the batch at its time and stores the results', async () => {
      const scheduled = await waitFor(
        async () => {
          const history = await json(await as(alice, 'GET', `/batches?date=${TODAY}`), 200);
          return history.items.find(
            (a: { trigger: string; status: string; totalRows: number; current: boolean }) =>
              a.trigger === 'schedule' && a.status === 'succeeded' && a.totalRows > 0 && a.current,
          );
        },
        "a scheduled batch of today's date",
        60_000,
        500,
      );
      expect(scheduled).toMatchObject({ actor: 'service:lot-tracking', businessDate: TODAY });
      expect((await allResults(TODAY)).items.length).toBeGreaterThan(0);
    });

    it('runs as a one-off command (`batch --date=`), as the CronJob does', async () => {
      const { stdout } = await run(process.execPath, ['dist/apps/lot-tracking/src/main.js', 'batch', '--date=2026-11-04'], {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: db.url,
          NATS_URL: testServers.natsUrl,
          VISTA_BUS_NAMESPACE: namespace,
          LOG_LEVEL: 'warn',
          ...platform.identity.env,
        },
      });
      // The answer is the pretty-printed attempt after any log lines.
      const attempt = JSON.parse(stdout.slice(stdout.indexOf('{\n  "attemptId"')));
      expect(attempt).toMatchObject({ status: 'succeeded', trigger: 'manual', actor: 'service:lot-tracking-cli', businessDate: '2026-11-04', current: true });
      expect((await allResults('2026-11-04')).items).toHaveLength(attempt.totalRows);
      await expect(
        run(process.execPath, ['dist/apps/lot-tracking/src/main.js', 'batch', '--date=2026-13-01'], {
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url },
        }),
      ).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--date=2026-13-01'),
      });
    });

    it('a batch killed halfway and rerun completes with no duplicate and no missing row', async () => {
      const header = 'lotId,product,processStep,equipment,waferCount,setupModelId,factor.temperature,factor.pressure';
      const lines = Array.from({ length: 400 }, (_, i) => `K${i},DRAM-D1B-16G,LITHO-050,EQ-LITHO-01,25,${setupModelId},${300 + (i % 90)},${1 + (i % 7) / 10}`);
      await json(await as(alice, 'POST', '/lots/csv', { csv: [header, ...lines].join('\n') }), 201);
      const DAY = '2026-11-05';
      const started = await json(await as(root, 'POST', '/batches', { date: DAY }), 202);
      expect(started.status).toBe('running');
      await waitFor(async () => (await json(await as(root, 'GET', `/batches/${started.attemptId}`), 200)).predictedRows >= 20, 'progress', 60_000, 20);
      await platform.kill('lot-tracking');
      const killedAt = Date.now();
      const halfway = (await sql.query(`select status, predicted_rows, total_rows from lot_tracking.batch_attempts where attempt_id = $1`, [started.attemptId]))
        .rows[0];
      expect(halfway.status).toBe('running');
      expect(halfway.predicted_rows).toBeLessThan(halfway.total_rows);
      await platform.restart('lot-tracking');
      expect(await allResults(DAY)).toEqual({ attemptId: null, items: [] });

      // A killed process says nothing: its attempt counts as running until its heartbeat is older than
      // LOT_BATCH_STALE_MS; a rerun meanwhile is refused with 409, as for any running batch (tested below).
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + STALE_MS + 250 - Date.now())));
      const rerun = await runBatch(DAY);
      expect(rerun).toMatchObject({ status: 'succeeded', current: true, digest: started.digest, predictedRows: started.totalRows });
      const killed = await json(await as(root, 'GET', `/batches/${started.attemptId}`), 200);
      expect(killed).toMatchObject({ status: 'failed', reason: expect.stringContaining('abandoned') });
      const resumed = await sql.query(`select data from lot_tracking.events where type = 'LotBatchStarted' and data->>'attemptId' = $1`, [rerun.attemptId]);
      expect(resumed.rows[0].data).toMatchObject({ resumedFromAttemptId: started.attemptId, carriedOverRows: killed.predictedRows });
      const stored = await allResults(DAY);
      const ids = stored.items.map((r) => r.rowId);
      const active = (await json(await as(alice, 'GET', '/lots?limit=1000'), 200)).items.map((r: { rowId: string }) => r.rowId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...active].sort());
    });
  });
  describe('stopping the service during a batch', () => {
    it('a batch interrupted by SIGTERM records why, and the rerun finishes it from where it stopped', async () => {
      const DAY = '2026-11-07';
      const started = await json(await as(root, 'POST', '/batches', { date: DAY }), 202);
      await waitFor(async () => (await json(await as(root, 'GET', `/batches/${started.attemptId}`), 200)).predictedRows >= 20, 'progress', 60_000, 20);
      expect(await platform.terminate('lot-tracking')).toMatchObject({ code: 0 });
      await platform.restart('lot-tracking');
      const stopped = await json(await as(root, 'GET', `/batches/${started.attemptId}`), 200);
      expect(stopped).toMatchObject({ status: 'failed', reason: expect.stringContaining('stopped before the batch ended') });
      expect(stopped.predictedRows).toBeGreaterThan(0);
      expect(stopped.predictedRows).toBeLessThan(stopped.totalRows);
      expect(await allResults(DAY)).toEqual({ attemptId: null, items: [] });

      const rerun = await runBatch(DAY);
      expect(rerun).toMatchObject({ status: 'succeeded', digest: started.digest, predictedRows: started.totalRows });
      const ids = (await allResults(DAY)).items.map((r) => r.rowId);
      expect(new Set(ids).size).toBe(started.totalRows);
      // The rerun took the stopped attempt's results over instead of predicting them again, and says so on record.
      const startedEvent = await sql.query(`select data from lot_tracking.events where type = 'LotBatchStarted' and data->>'attemptId' = $1`, [
        rerun.attemptId,
      ]);
      expect(startedEvent.rows[0].data).toMatchObject({ resumedFromAttemptId: started.attemptId, carriedOverRows: stopped.predictedRows });
    });
  });

  describe('two runs of one date at once', () => {
    it('runs one and refuses the other with 409, naming the running attempt', async () => {
      const [a, b] = await Promise.all([as(root, 'POST', '/batches', { date: '2026-11-08' }), as(root, 'POST', '/batches', { date: '2026-11-08' })]);
      const answers = [
        { status: a.status, body: (await a.json()) as Record<string, any> },
        { status: b.status, body: (await b.json()) as Record<string, any> },
      ].sort((x, y) => x.status - y.status);
      expect(answers.map((x) => x.status)).toEqual([202, 409]);
      expect(answers[1]!.body.detail).toContain('already running');
      expect(await batchDone(answers[0]!.body.attemptId)).toMatchObject({ status: 'succeeded' });
    });
  });

  describe('the lots page in a browser (Debian chromium)', () => {
    it("shows the rows, the batch attempts with their progress, and a date's results", async () => {
      const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      try {
        const page = await (await browser.newContext()).newPage();
        await page.goto(platform.gatewayUrl);
        await page.click('#login');
        await page.fill('input[name=username]', 'alice');
        await page.fill('input[name=password]', 'alice-password');
        await page.click('button[type=submit]');
        await page.waitForURL(`${platform.gatewayUrl}/`);
        await page.waitForSelector('#logout:not([hidden])');

        const started = await json(await as(root, 'POST', '/batches', { date: '2026-11-06' }), 202);
        await page.goto(`${platform.gatewayUrl}/lots`);
        const attempt = `#batches tr[data-attempt="${started.attemptId}"]`;
        await page.waitForSelector(attempt);
        // The page follows a running attempt until it ends, its progress bar full.
        await page.locator(attempt, { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
        const bar = await page.$eval(`${attempt} progress`, (p) => ({ value: Number(p.getAttribute('value')), max: Number(p.getAttribute('max')) }));
        expect(bar).toEqual({ value: started.totalRows, max: started.totalRows });

        await page.waitForSelector('#lots tr[data-row]');
        expect(await page.$$eval('#lots tr[data-row]', (rows) => rows.length)).toBeGreaterThan(0);
        await page.fill('#results-form input[name=date]', '2026-11-06');
        await page.click('#results-form button[type=submit]');
        // The note may still show the results the page loaded first (the scheduled batch's date) until the answer for this date comes.
        await page.locator('#results-note', { hasText: started.attemptId }).waitFor({ timeout: 15_000 });
        expect(await page.textContent('#results-note')).toContain(started.attemptId);
        expect(await page.$$eval('#results tr', (rows) => rows.length)).toBe(Math.min(200, started.totalRows));
      } finally {
        await browser.close();
      }
    });
  });
});
