import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  type Platform,
  type RunningService,
  type TestDatabase,
  createTestDatabase,
  metricSum,
  startPlatform,
  uniqueNamespace,
  waitFor,
  fetchAs,
} from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

/**
 * The replica checks of "Execution that holds under load": two processes of each stage service share
 * the stage's durable queue; each job's work runs once, a killed replica's job is taken over when its
 * lease runs out, and a stop reaches the replica running the job.
 */
const EXAMPLES = path.resolve(process.cwd(), 'examples/decks');
const SERVICES = ['deck', 'doe', 'ml', 'optimize', 'projector', 'gateway'] as const;
const STAGES = ['deck', 'doe', 'ml', 'optimize'] as const;
type Stage = (typeof STAGES)[number];
const TABLES: Record<Stage, string> = { deck: 'deck_collection', doe: 'doe_step', ml: 'ml_step', optimize: 'optimize_step' };
/**
 * A short lease, so a takeover happens within seconds of a kill (the default is 10 s); not so short that a
 * replica starved of CPU for a moment on a loaded 2-core machine loses a job it is running.
 */
const LEASE_MS = 4_000;
/** A forest this large trains for seconds: long enough to kill or stop its replica mid-way. */
const SLOW_ML = { ml: { algorithm: 'random-forest', hyperparameters: { nEstimators: 300 } } };
const RUNS = 20;

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vista-replicas-'));
  await copyFile(path.join(EXAMPLES, 'quadratic-surface.csv'), path.join(folder, 'quadratic-surface.csv'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('two replicas of each stage service, on the real platform processes', () => {
  let db: TestDatabase;
  let platform: Platform;
  let sql: pg.Pool;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;
  const rowsOf = async (query: string, params: unknown[] = []) => (await sql.query(query, params)).rows;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_replicas');
    const lease = { JOB_LEASE_MS: String(LEASE_MS) };
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace: uniqueNamespace(),
      services: [...SERVICES],
      env: { DECK_SOURCE_DIR: folder },
      serviceEnv: { deck: lease, doe: lease, ml: lease, optimize: lease },
      replicas: { deck: 2, doe: 2, ml: 2, optimize: 2 },
    });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    sql = new pg.Pool({ connectionString: db.url, max: 4 });
  }, 180_000);

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await db?.drop();
  }, 60_000);

  const startRun = async (kitId: number, params?: Record<string, unknown>): Promise<string> => {
    const res = await fetchApi(api(`/kits/${kitId}/runs`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourcePath: 'quadratic-surface.csv', ...(params ? { params } : {}) }),
    });
    const body = (await res.json()) as { runId: string };
    expect([res.status, body]).toEqual([202, expect.objectContaining({ runId: expect.any(String) })]);
    return body.runId;
  };

  const stop = (runId: string) =>
    fetchApi(api(`/runs/${runId}/control`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'stop' }) });

  const runStatus = (runId: string, statuses: string[], timeoutMs = 180_000) =>
    waitFor(
      async () => {
        const [row] = await rowsOf(`select status from read.runs where run_id = $1`, [runId]);
        return row && statuses.includes(row.status) ? (row.status as string) : undefined;
      },
      `run ${runId} in ${statuses.join('/')}`,
      timeoutMs,
      200,
    );

  const metricsOf = async (replica: RunningService): Promise<string> => {
    const res = await fetch(`${replica.url}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };

  /** `vista_job_work_begun_total` of a stage, summed over its live replicas. */
  const workBegun = async (stage: Stage, how?: string): Promise<number> => {
    let sum = 0;
    for (const replica of platform.replicas.get(stage)!) {
      if (replica.process.exitCode !== null || replica.process.signalCode !== null) continue;
      sum += metricSum(await metricsOf(replica), 'vista_job_work_begun_total', { stage, ...(how ? { how } : {}) });
    }
    return sum;
  };

  /** The replica that holds the run's ML job's lease, from the queue in Postgres (the owner names the process id). */
  const mlOwnerOf = async (runId: string): Promise<RunningService | undefined> => {
    const [row] = await rowsOf(`select owner from ml.job_queue where run_id = $1 and owner is not null and lease_until > now()`, [runId]);
    if (!row) return undefined;
    const owner = row.owner as string;
    const replica = platform.replicas.get('ml')!.find((r) => owner.includes(`-${r.process.pid}-`));
    if (!replica) throw new Error(`no ml replica has the process of lease owner ${owner}`);
    return replica;
  };

  const mlJobOf = async (runId: string): Promise<{ jobId: string; status: string; step: string } | undefined> => {
    const [row] = await rowsOf(`select job_id, status, step_name from read.ml_step where run_id = $1 order by step_order desc, attempt desc limit 1`, [runId]);
    return row && { jobId: row.job_id as string, status: row.status as string, step: row.step_name as string };
  };

  it(`runs ${RUNS} runs to SUCCESS with each job's work begun once over both replicas, nothing taken over`, async () => {
    const runIds = await Promise.all(Array.from({ length: RUNS }, (_, i) => startRun(100 + i)));
    for (const runId of runIds) await runStatus(runId, ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED']);
    const statuses = await rowsOf(`select status, count(*)::int as n from read.runs where run_id = any($1::uuid[]) group by status`, [runIds]);
    expect(statuses).toEqual([{ status: 'SUCCESS', n: RUNS }]);

    const split: string[] = [];
    for (const stage of STAGES) {
      const [{ jobs }] = await rowsOf(`select count(distinct job_id)::int as jobs from read.${TABLES[stage]} where run_id = any($1::uuid[])`, [runIds]);
      expect(jobs).toBe(RUNS);
      const perReplica: number[] = [];
      for (const replica of platform.replicas.get(stage)!) {
        perReplica.push(metricSum(await metricsOf(replica), 'vista_job_work_begun_total', { stage }));
      }
      split.push(`${stage} ${perReplica.join('+')}`);
      // Every job's work began once: no job ran twice, none was resumed or taken over.
      const begun = {
        stage,
        total: perReplica.reduce((a, b) => a + b, 0),
        started: await workBegun(stage, 'started'),
        takenOver: await workBegun(stage, 'taken-over'),
        resumed: await workBegun(stage, 'resumed'),
      };
      // When they differ, what the stage's replicas said about leases, pauses and resumptions.
      const said = platform.replicas
        .get(stage)!
        .flatMap((replica) => replica.output.filter((line) => /resumed|taken over|paused|renewing|lease|connection/i.test(line)).slice(-5));
      expect({ ...begun, ...(begun.total === jobs ? {} : { said }) }).toEqual({ stage, total: jobs, started: jobs, takenOver: 0, resumed: 0 });
    }
    console.log(`work begun per replica: ${split.join(', ')}`);
  }, 300_000);

  it('takes over the job of a replica killed with SIGKILL once its lease runs out, and the run completes', async () => {
    const runId = await startRun(200, SLOW_ML);
    // The ML job running, and the replica that holds it.
    const { owner, job } = await waitFor(
      async () => {
        const current = await mlJobOf(runId);
        if (current?.status !== 'RUNNING') return undefined;
        const holder = await mlOwnerOf(runId);
        return holder && { owner: holder, job: current };
      },
      'the ML job RUNNING on a replica',
      120_000,
      50,
    );
    const takenOverBefore = await workBegun('ml', 'taken-over');
    const killedAt = Date.now();
    await platform.kill('ml', owner.replica);
    console.log(`killed ml replica ${owner.replica} (pid ${owner.process.pid}) during ${job.step}`);

    expect(await runStatus(runId, ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'])).toBe('SUCCESS');
    const logs = await rowsOf(`select message, at from read.job_logs where job_id = $1 order by at, seq`, [job.jobId]);
    const messages = logs.map((l) => l.message as string);
    const takenOverAt = logs.find((l) => (l.message as string).includes('taken over'))?.at as Date | undefined;
    if (takenOverAt) console.log(`the other replica took the job over ${takenOverAt.getTime() - killedAt} ms after the kill (lease ${LEASE_MS} ms)`);
    // Started on the killed replica, taken over by the other one (a replica's id names its process).
    const survivor = platform.replicas.get('ml')!.find((r) => r !== owner)!;
    expect(messages.find((m) => m.includes('started on'))).toEqual(expect.stringContaining(`-${owner.process.pid}-`));
    const takeover = messages.find((m) => m.includes('taken over'));
    expect(takeover).toEqual(expect.stringContaining('attempt 1 taken over at step'));
    expect(takeover).toEqual(expect.stringContaining(`-${survivor.process.pid}-`));
    // The surviving replica counted the takeover; the job ran on one attempt.
    expect(await workBegun('ml', 'taken-over')).toBe(takenOverBefore + 1);
    const attempts = await rowsOf(`select distinct attempt from read.ml_step where run_id = $1`, [runId]);
    expect(attempts).toEqual([{ attempt: 1 }]);
    const [{ finished_at: finished }] = await rowsOf(`select finished_at from read.ml_step where run_id = $1 and step_name = 'test'`, [runId]);
    console.log(`the run's ML job finished ${(finished as Date).getTime() - killedAt} ms after the kill (lease ${LEASE_MS} ms)`);

    await platform.restart('ml', owner.replica);
  }, 300_000);

  it('stops a job running on either replica: CANCELLED within seconds', async () => {
    const mlReplicas = platform.replicas.get('ml')!;
    // Enough slow runs that both replicas are running one (each runs as many as it has workers).
    const runIds = await Promise.all(Array.from({ length: 6 }, (_, i) => startRun(300 + i, SLOW_ML)));
    const onReplica = await waitFor(
      async () => {
        const found = new Map<number, string>();
        for (const runId of runIds) {
          const job = await mlJobOf(runId);
          if (job?.status !== 'RUNNING') continue;
          const holder = await mlOwnerOf(runId);
          if (holder && !found.has(holder.replica)) found.set(holder.replica, runId);
        }
        return found.size === mlReplicas.length ? found : undefined;
      },
      'an ML job RUNNING on each replica',
      120_000,
      50,
    );

    for (const [replica, runId] of onReplica) {
      const job = (await mlJobOf(runId))!;
      const stoppedAt = Date.now();
      expect((await stop(runId)).status).toBe(202);
      await waitFor(
        async () => (await rowsOf(`select 1 from read.ml_step where job_id = $1 and status = 'CANCELLED'`, [job.jobId])).length > 0,
        `the ML job on replica ${replica} CANCELLED`,
        5_000,
        20,
      );
      console.log(
        `a job running on ml replica ${replica} (during ${job.step}): CANCELLED in the read model ${Date.now() - stoppedAt} ms after the stop was sent`,
      );
      expect(await runStatus(runId, ['CANCELLED', 'SUCCESS'], 5_000)).toBe('CANCELLED');
    }
    // The stopped runs never reached SUCCESS; the rest are stopped too, so nothing is left running.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const runId of onReplica.values()) expect((await rowsOf(`select status from read.runs where run_id = $1`, [runId]))[0].status).toBe('CANCELLED');
    await Promise.all(runIds.filter((id) => ![...onReplica.values()].includes(id)).map(stop));
  }, 300_000);
});
