import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { busNames } from '@vista/contracts';
import { type Platform, type TestDatabase, createTestDatabase, startPlatform, testServers, uniqueNamespace, waitFor, fetchAs } from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

const EXAMPLES = path.resolve(process.cwd(), 'examples/decks');
const STAGES = ['deck', 'doe', 'ml', 'optimize', 'projector', 'gateway'] as const;
/** Training this forest takes seconds, long enough to stop it mid-way or to exceed a short timeout. */
const SLOW_TRAINING = { doe: { points: 3000 }, ml: { algorithm: 'random-forest', hyperparameters: { nEstimators: 15, maxDepth: 12, maxSamples: 0.5 } } };

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vista-pipeline-'));
  await copyFile(path.join(EXAMPLES, 'quadratic-surface.csv'), path.join(folder, 'quadratic-surface.csv'));
  // A response that never changes: nothing to learn.
  const flat = ['x1,x2,y', ...Array.from({ length: 60 }, (_, i) => `${(i % 10) / 3},${Math.floor(i / 10) / 2},4.2`)];
  await writeFile(path.join(folder, 'flat-response.csv'), flat.join('\n'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('a kit run through every stage, on the real platform processes', () => {
  let db: TestDatabase;
  let platform: Platform;
  let sql: pg.Pool;
  let namespace: string;
  /** An external evaluator (a simulator, in real life) of the example surface: POST {points} → {responses: {y}}. */
  let evaluator: Server;
  let evaluatedPoints = 0;
  let evaluatorRequests = 0;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;

  beforeAll(async () => {
    db = await createTestDatabase('pipeline');
    namespace = uniqueNamespace();
    evaluator = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { points } = JSON.parse(body) as { points: number[][] };
        evaluatedPoints += points.length;
        evaluatorRequests++;
        const y = points.map(([x1, x2, x3]) => (x1! - 1.5) ** 2 + 2 * (x2! + 0.5) ** 2 + 0.5 * x3! + 3);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ responses: { y } }));
      });
    });
    await new Promise<void>((resolve) => evaluator.listen(0, '127.0.0.1', resolve));
    const evaluatorUrl = `http://127.0.0.1:${(evaluator.address() as AddressInfo).port}/evaluate`;
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace,
      services: [...STAGES],
      env: { DECK_SOURCE_DIR: folder, DOE_EVALUATOR_URL: evaluatorUrl, DOE_EVALUATOR_BATCH: '5' },
    });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await db?.drop();
    await new Promise((resolve) => evaluator?.close(resolve));
  }, 60_000);

  const startRun = async (kitId: number, body: Record<string, unknown>): Promise<string> => {
    const res = await fetchApi(api(`/kits/${kitId}/runs`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { runId: string }).runId;
  };

  const control = (runId: string, action: 'stop' | 'retry') =>
    fetchApi(api(`/runs/${runId}/control`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }) });

  const rowsOf = async (query: string, params: unknown[]) => (await sql.query(query, params)).rows;

  /** The run's job rows of a stage table, newest attempt first. */
  const stageRows = (table: string, runId: string) => rowsOf(`select * from read.${table} where run_id = $1 order by attempt desc`, [runId]);

  const waitForRow = (label: string, query: string, params: unknown[], timeoutMs = 90_000) =>
    waitFor(
      async () => {
        const rows = await rowsOf(query, params);
        return rows.length > 0 ? rows[0] : undefined;
      },
      label,
      timeoutMs,
    );

  it('goes from the deck to an optimum on its own: a tested, registered model and the known minimum found', async () => {
    const runId = await startRun(301, {
      sourcePath: 'quadratic-surface.csv',
      params: {
        doe: { design: 'latin-hypercube', points: 400 },
        ml: { algorithm: 'polynomial', hyperparameters: { degree: 2 } },
        optimize: { goal: 'minimize' },
      },
    });
    const optimized = await waitForRow('optimize SUCCESS', `select * from read.optimize_step where run_id = $1 and status = 'SUCCESS'`, [runId], 120_000);

    // Every task of the chain reached SUCCESS, in order, in the state table.
    const tasks = await rowsOf(`select task_name, status, current_order from read.kit_state where kit_id = 301 order by current_order`, []);
    expect(tasks.map((t) => [t.task_name, t.status])).toEqual([
      ['deck_collection', 'SUCCESS'],
      ['doe', 'SUCCESS'],
      ['preprocess', 'SUCCESS'],
      ['scaling', 'SUCCESS'],
      ['training', 'SUCCESS'],
      ['test', 'SUCCESS'],
      ['optimize', 'SUCCESS'],
    ]);
    const [doe] = await stageRows('doe_step', runId);
    expect(doe.data_info).toMatchObject({ designType: 'latin-hypercube', pointCount: 400, factors: ['x1', 'x2', 'x3'] });
    const steps = await rowsOf(`select step_name, step_order, status, started_at, finished_at from read.ml_step where run_id = $1 order by step_order`, [
      runId,
    ]);
    expect(steps.map((s) => [s.step_name, s.step_order, s.status])).toEqual([
      ['preprocess', 1, 'SUCCESS'],
      ['scaling', 2, 'SUCCESS'],
      ['training', 3, 'SUCCESS'],
      ['test', 4, 'SUCCESS'],
    ]);
    for (const step of steps) expect(step.finished_at.getTime()).toBeGreaterThanOrEqual(step.started_at.getTime());

    // The model: registered with its metrics and lineage, R² well above 0.9 on a smooth surface.
    const [model] = await rowsOf(`select * from read.models where run_id = $1`, [runId]);
    expect(model.r2).toBeGreaterThan(0.9);
    expect(model.lineage).toMatchObject({ deckId: expect.any(String), datasetId: doe.data_info.datasetId, designType: 'latin-hypercube' });

    // The optimum of y = (x1 − 1.5)² + 2(x2 + 0.5)² + 0.5·x3 + 3 over x3 ∈ [0, 2] is x = (1.5, −0.5, 0), y = 3.
    const result = optimized.metadata.OptimizeCompleted as { bestFactors: Record<string, number>; predicted: Record<string, number> };
    expect(Math.abs(result.bestFactors.x1! - 1.5)).toBeLessThan(0.25);
    expect(Math.abs(result.bestFactors.x2! + 0.5)).toBeLessThan(0.25);
    expect(result.bestFactors.x3!).toBeLessThan(0.2);
    expect(Math.abs(result.predicted.y! - 3)).toBeLessThan(0.5);

    // The registered model predicts again through the gateway.
    const predicted = await fetchApi(api(`/models/${model.model_id}/predict`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ x1: 1.5, x2: -0.5, x3: 0 }, [4, 2, 1]] }),
    });
    expect(predicted.status).toBe(200);
    const predictions = ((await predicted.json()) as { predictions: number[] }).predictions;
    expect(Math.abs(predictions[0]! - 3)).toBeLessThan(0.5);
    expect(Math.abs(predictions[1]! - (6.25 + 12.5 + 0.5 + 3))).toBeLessThan(1.5);
    // A bad row is refused by the prediction worker, and the answer still names it.
    const refused = await fetchApi(api(`/models/${model.model_id}/predict`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ x1: 1.5, x3: 0 }] }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('rows[0].x2');

    // The kit's state stays small: each fact once, the large details behind its links.
    const stateResponse = await fetchApi(api('/kits/301/state'));
    expect(stateResponse.status).toBe(200);
    const stateText = await stateResponse.text();
    expect(Buffer.byteLength(stateText)).toBeLessThanOrEqual(10 * 1024);
    const state = JSON.parse(stateText) as {
      overall: { runId: string };
      stages: { jobType: string; status: string; summary: Record<string, unknown> | null; links: { job: string; logs: string } }[];
      links: { tasks: string; details: string; run: string };
    };
    expect(state.overall.runId).toBe(runId);
    expect(state.stages.map((s) => [s.jobType, s.status])).toEqual([
      ['deck', 'SUCCESS'],
      ['doe', 'SUCCESS'],
      ['ml', 'SUCCESS'],
      ['optimize', 'SUCCESS'],
    ]);
    expect(stateText).not.toContain('"trace"');
    expect(stateText).not.toContain('"dataInfo"');
    const stageOf = (jobType: string) => state.stages.find((s) => s.jobType === jobType)!;
    expect(stageOf('optimize').summary).toEqual(expect.objectContaining({ bestFactors: result.bestFactors, predicted: result.predicted }));
    const follow = async (url: string): Promise<any> => {
      const res = await fetchApi(`${platform.gatewayUrl}${url}`);
      expect(res.status).toBe(200);
      return res.json();
    };
    // The links serve what the state leaves out: the optimisation trace, the dataset's data_info, every step's output.
    const optimizeJob = await follow(stageOf('optimize').links.job);
    expect(optimizeJob.attempts[0].detail).toMatchObject({ bestFactors: result.bestFactors, trace: expect.any(Array) });
    expect(optimizeJob.attempts[0].detail.trace.length).toBeGreaterThan(0);
    const doeJob = await follow(stageOf('doe').links.job);
    expect(doeJob.attempts[0].detail.dataInfo).toMatchObject({ designType: 'latin-hypercube', pointCount: 400 });
    const mlJob = await follow(stageOf('ml').links.job);
    expect(mlJob.attempts[0].steps.map((step: { step: string; detail: unknown }) => [step.step, step.detail !== null])).toEqual([
      ['preprocess', true],
      ['scaling', true],
      ['training', true],
      ['test', true],
    ]);
    const details = await follow(state.links.details);
    expect(details.doe[0].dataInfo).toEqual(doe.data_info);
    expect(details.optimize[0].metadata.OptimizeCompleted.trace).toEqual(optimized.metadata.OptimizeCompleted.trace);
    const runTasks = await follow(state.links.tasks);
    expect(runTasks.items.map((t: { taskName: string; status: string }) => [t.taskName, t.status])).toEqual(tasks.map((t) => [t.task_name, t.status]));
    expect((await follow(state.links.run)).runId).toBe(runId);

    // Each job kept its log.
    const logs = await fetchApi(`${platform.gatewayUrl}${stageOf('ml').links.logs}`);
    expect(logs.status).toBe(200);
    const lines = JSON.stringify(await logs.json());
    expect(lines).toContain('training');
  }, 180_000);

  it('labels a central composite design through the configured external evaluator, in batches', async () => {
    const runId = await startRun(306, {
      sourcePath: 'quadratic-surface.csv',
      params: { doe: { design: 'central-composite', labelling: 'evaluator', centerPoints: 3 } },
    });
    await waitForRow('optimize SUCCESS', `select * from read.optimize_step where run_id = $1 and status = 'SUCCESS'`, [runId], 120_000);
    const [doe] = await stageRows('doe_step', runId);
    // k = 3: 8 corners + 6 axial points + 3 centre points, every one labelled by the evaluator.
    expect(doe.data_info).toMatchObject({ designType: 'central-composite', pointCount: 17, labelling: { method: 'evaluator' } });
    expect(evaluatedPoints).toBe(17);
    expect(evaluatorRequests).toBe(4);
    const [model] = await rowsOf(`select r2 from read.models where run_id = $1`, [runId]);
    // Exact labels of a quadratic: the degree-2 model fits them all but perfectly.
    expect(model.r2).toBeGreaterThan(0.99);
  }, 180_000);

  it('ends the run FAILED with the reason when training gets a constant response, and no later stage starts', async () => {
    const runId = await startRun(302, { sourcePath: 'flat-response.csv', params: { doe: { points: 50 } } });
    await waitForRow('the run FAILED', `select * from read.runs where run_id = $1 and status = 'FAILED'`, [runId]);
    const failed = await rowsOf(`select task_name, status, reason from read.kit_state where kit_id = 302 and status <> 'SUCCESS'`, []);
    expect(failed).toEqual([{ task_name: 'training', status: 'FAILED', reason: expect.stringMatching(/the response y is constant/) }]);
    const steps = await rowsOf(`select step_name, status from read.ml_step where run_id = $1 order by step_order`, [runId]);
    expect(steps).toEqual([
      { step_name: 'preprocess', status: 'SUCCESS' },
      { step_name: 'scaling', status: 'SUCCESS' },
      { step_name: 'training', status: 'FAILED' },
    ]);
    // Give a wrongly started optimiser time to show up before saying it never started.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await stageRows('optimize_step', runId)).toEqual([]);
    expect(await rowsOf(`select 1 from optimize.events where stream_id = $1`, [`optimize-run-${runId}`])).toEqual([]);
  }, 120_000);

  it('stops during training: the job ends CANCELLED within seconds and nothing later starts; a retry runs attempt 2 to the end', async () => {
    const runId = await startRun(303, { sourcePath: 'quadratic-surface.csv', params: SLOW_TRAINING });
    await waitForRow('training RUNNING', `select * from read.ml_step where run_id = $1 and step_name = 'training' and status = 'RUNNING'`, [runId]);

    // The service keeps answering while the forest grows in its worker thread.
    const ml = platform.services.get('ml')!;
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const res = await fetch(`${ml.url}/health/live`);
      latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    // A blocked event loop would take the whole training (seconds) to answer.
    expect(Math.max(...latencies)).toBeLessThan(1_000);

    const stoppedAt = Date.now();
    expect((await control(runId, 'stop')).status).toBe(202);
    const cancelled = await waitForRow(
      'training CANCELLED',
      `select * from read.ml_step where run_id = $1 and step_name = 'training' and status = 'CANCELLED'`,
      [runId],
      10_000,
    );
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(cancelled.attempt).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await rowsOf(`select step_name from read.ml_step where run_id = $1 and step_name = 'test'`, [runId])).toEqual([]);
    expect(await stageRows('optimize_step', runId)).toEqual([]);

    expect((await control(runId, 'retry')).status).toBe(202);
    await waitForRow('optimize SUCCESS after the retry', `select * from read.optimize_step where run_id = $1 and status = 'SUCCESS'`, [runId], 150_000);
    const attempts = await rowsOf(`select attempt, status from read.ml_step where run_id = $1 and step_name = 'training' order by attempt`, [runId]);
    expect(attempts).toEqual([
      { attempt: 1, status: 'CANCELLED' },
      { attempt: 2, status: 'SUCCESS' },
    ]);
    const history = await rowsOf(`select attempt, status from read.state_history where run_id = $1 and task_name = 'training' order by position`, [runId]);
    expect(history.map((h) => `${h.attempt}:${h.status}`)).toEqual(['1:PENDING', '1:RUNNING', '1:CANCELLED', '2:PENDING', '2:RUNNING', '2:SUCCESS']);
  }, 240_000);

  it('ends a stage TIMEOUT when it runs longer than its timeout', async () => {
    const runId = await startRun(304, { sourcePath: 'quadratic-surface.csv', params: { ...SLOW_TRAINING, ml: { ...SLOW_TRAINING.ml, timeoutMs: 1_500 } } });
    const timedOut = await waitForRow('an ML step TIMEOUT', `select * from read.ml_step where run_id = $1 and status = 'TIMEOUT'`, [runId]);
    expect(timedOut.metadata.MlStepTimedOut).toMatchObject({ timeoutMs: 1_500 });
    const [run] = await rowsOf(`select status from read.runs where run_id = $1`, [runId]);
    expect(run.status).toBe('TIMEOUT');
    expect(await stageRows('optimize_step', runId)).toEqual([]);
  }, 120_000);

  it('starts a stage once when its trigger is delivered twice (one job per stage per attempt)', async () => {
    const runId = await startRun(305, { sourcePath: 'quadratic-surface.csv', params: { doe: { points: 100 } } });
    await waitForRow('optimize SUCCESS', `select * from read.optimize_step where run_id = $1 and status = 'SUCCESS'`, [runId], 120_000);

    // Publish the DoeCompleted event again, as a redelivery after a lost ack would bring it.
    const nc = await connect({ servers: testServers.natsUrl });
    try {
      const names = busNames(namespace);
      const jsm = await jetstreamManager(nc);
      const original = await jsm.streams.getMessage(names.eventsStream, { last_by_subj: names.eventSubject('doe', 305, 'DoeCompleted') });
      expect(original).not.toBeNull();
      const ack = await jetstream(nc).publish(original!.subject, original!.data, { msgID: `redelivered-${runId}` });
      await waitFor(
        async () => {
          const info = await jsm.consumers.info(names.eventsStream, 'ml');
          return info.delivered.stream_seq >= ack.seq && info.num_ack_pending === 0 ? true : undefined;
        },
        'the ml consumer to handle the copy',
        30_000,
      );
    } finally {
      await nc.close();
    }
    const requests = await rowsOf(`select data from ml.events where stream_id = $1 and type = 'MlStepRequested' and data->>'step' = 'preprocess'`, [
      `ml-run-${runId}`,
    ]);
    expect(requests).toHaveLength(1);
    expect(await rowsOf(`select count(distinct job_id)::int as jobs from read.ml_step where run_id = $1`, [runId])).toEqual([{ jobs: 1 }]);
  }, 180_000);
});
