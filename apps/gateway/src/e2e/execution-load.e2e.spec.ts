import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  type Platform,
  type ReadinessProbe,
  type TestDatabase,
  createTestDatabase,
  startPlatform,
  uniqueNamespace,
  waitFor,
  watchReadiness,
  fetchAs,
} from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

/**
 * The load checks of "Execution that holds under load", on one platform with the services' default
 * settings: many runs of the example deck at once, on many kits and on one kit, with the services
 * answering their readiness probe throughout, a queued run stopped, fairness between kits and priority.
 */
const EXAMPLES = path.resolve(process.cwd(), 'examples/decks');
const STAGES = ['deck', 'doe', 'ml', 'optimize', 'projector', 'gateway'] as const;
/** Runs started at once in each load test (E2E_LOAD_RUNS overrides, e.g. for a quicker look). */
const RUNS = Number(process.env.E2E_LOAD_RUNS ?? 100);
/** How long to wait for a batch of runs to end: a bound on waiting, not a performance assertion. */
const BATCH_BOUND_MS = 420_000;
/**
 * A readiness answer slower than this means a service's event loop was blocked. The bound is loose on
 * purpose: on 2 shared cores the burst of 100 starts alone queues the gateway's probes for a second or
 * two; how fast readiness answers is measured by `npm run bench:runs`, not asserted here.
 */
const READY_BOUND_MS = 5_000;
const TABLES = { deck: 'deck_collection', doe: 'doe_step', ml: 'ml_step', optimize: 'optimize_step' } as const;

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vista-load-'));
  await copyFile(path.join(EXAMPLES, 'quadratic-surface.csv'), path.join(folder, 'quadratic-surface.csv'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('execution under load, on the real platform processes', () => {
  let db: TestDatabase;
  let platform: Platform;
  let sql: pg.Pool;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;
  const rowsOf = async (query: string, params: unknown[] = []) => (await sql.query(query, params)).rows;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_load');
    platform = await startPlatform({ databaseUrl: db.url, namespace: uniqueNamespace(), services: [...STAGES], env: { DECK_SOURCE_DIR: folder } });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    sql = new pg.Pool({ connectionString: db.url, max: 4 });
  }, 120_000);

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

  /**
   * Polls `/health/ready` of every service, and `/health/live` beside it: a slow readiness answer with a
   * quick liveness answer points at the readiness checks (database, bus), not at a blocked event loop.
   */
  const watchEveryService = () => {
    const urls = [...platform.services.values()].map((s) => s.url);
    const ready = watchReadiness(urls);
    const live = watchReadiness(urls, 250, 10_000, '/health/live');
    return { stop: async () => ({ ready: await ready.stop(), live: await live.stop() }) };
  };
  type Probes = { ready: ReadinessProbe[]; live: ReadinessProbe[] };

  /** Prints the slowest answer of each service for the record. */
  const report = (label: string, probes: Probes) => {
    const slowest = (list: ReadinessProbe[], url: string) => Math.round(Math.max(...list.filter((p) => p.url === url).map((p) => p.ms)));
    const byService = [...platform.services.values()].map(
      (s) => `${s.name} ${slowest(probes.ready, `${s.url}/health/ready`)} ms (live ${slowest(probes.live, `${s.url}/health/live`)} ms)`,
    );
    console.log(`${label}: ${probes.ready.length} readiness probes, slowest answer per service: ${byService.join(', ')}`);
  };

  /** Every probe answered 200 within the bound. */
  const expectAnswered = (probes: Probes) => {
    expect(probes.ready.length).toBeGreaterThan(0);
    expect(probes.ready.filter((p) => p.status !== 200 || p.ms > READY_BOUND_MS)).toEqual([]);
    expect(probes.live.filter((p) => p.status !== 200 || p.ms > READY_BOUND_MS)).toEqual([]);
  };

  /** Waits until every run has ended (its overall status is no longer RUNNING); returns each run's status. */
  const waitForEnd = async (runIds: readonly string[]): Promise<Map<string, string>> => {
    const rows = await waitFor(
      async () => {
        const found = await rowsOf(`select run_id, status from read.runs where run_id = any($1::uuid[])`, [runIds]);
        const ended = found.filter((r) => r.status !== 'RUNNING' && r.status !== 'PENDING');
        return ended.length === runIds.length ? found : undefined;
      },
      `${runIds.length} runs to end`,
      BATCH_BOUND_MS,
      500,
    );
    return new Map(rows.map((r) => [r.run_id as string, r.status as string]));
  };

  /** When each run's optimisation finished. */
  const finishedAt = async (runIds: readonly string[]): Promise<Map<string, number>> => {
    const rows = await rowsOf(`select run_id, finished_at from read.optimize_step where run_id = any($1::uuid[]) and status = 'SUCCESS'`, [runIds]);
    return new Map(rows.map((r) => [r.run_id as string, (r.finished_at as Date).getTime()]));
  };

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  };

  const expectAllSucceeded = async (runIds: readonly string[]) => {
    const statuses = await waitForEnd(runIds);
    const counts: Record<string, number> = {};
    for (const status of statuses.values()) counts[status] = (counts[status] ?? 0) + 1;
    expect(counts).toEqual({ SUCCESS: runIds.length });
    const timedOut = await rowsOf(`select run_id, task_name from read.state_history where run_id = any($1::uuid[]) and status = 'TIMEOUT'`, [runIds]);
    expect(timedOut).toEqual([]);
    // Every job of every stage ended SUCCESS.
    for (const table of Object.values(TABLES)) {
      const notDone = await rowsOf(`select run_id, status from read.${table} where run_id = any($1::uuid[]) and status <> 'SUCCESS'`, [runIds]);
      expect(notDone).toEqual([]);
    }
  };

  it(`runs ${RUNS} runs started at once on ${RUNS} kits to SUCCESS, none TIMEOUT, every service answering its readiness probe`, async () => {
    const watch = watchEveryService();
    const began = Date.now();
    let probes: Probes = { ready: [], live: [] };
    try {
      const runIds = await Promise.all(Array.from({ length: RUNS }, (_, i) => startRun(1_000 + i)));
      await expectAllSucceeded(runIds);
    } finally {
      probes = await watch.stop();
      report(`${RUNS} runs on ${RUNS} kits`, probes);
    }
    expectAnswered(probes);
    console.log(`${RUNS} runs on ${RUNS} kits: all SUCCESS ${((Date.now() - began) / 1000).toFixed(1)} s after the starts were sent`);
  }, 480_000);

  it(`runs ${RUNS} runs at once on one kit to SUCCESS; a queued run stops at once, another kit's run and a priority run go before most of them`, async () => {
    const kit = 2_000;
    const otherKit = 2_001;
    const watch = watchEveryService();
    const began = Date.now();
    let probes: Probes = { ready: [], live: [] };
    try {
      const runIds = await Promise.all(Array.from({ length: RUNS }, () => startRun(kit)));
      // Right after them: one run of another kit, one run of the same kit with a higher priority, and one to stop while it waits.
      const [otherRun, priorityRun, toStop] = await Promise.all([startRun(otherKit), startRun(kit, { priority: 10 }), startRun(kit)]);

      // The kit's state says where its latest run's queued job stands, as the stage service sees it.
      const place = await waitFor(
        async () => {
          const state = (await (await fetchApi(api(`/kits/${kit}/state`))).json()) as {
            stages: { status: string; queue?: { position: number; waiting: number } }[];
          };
          return state.stages.find((stage) => stage.status === 'QUEUED' && stage.queue)?.queue;
        },
        'a queued job of the kit with its place in the queue',
        60_000,
        50,
      );
      expect(place.position).toBeGreaterThanOrEqual(1);
      expect(place.waiting).toBeGreaterThanOrEqual(place.position);

      // The run to stop, seen QUEUED in the read model (its current job waiting for a worker).
      const queued = await waitFor(
        async () => {
          for (const [jobType, table] of Object.entries(TABLES)) {
            const [row] = await rowsOf(`select job_id, attempt, status from read.${table} where run_id = $1 and status = 'QUEUED'`, [toStop]);
            if (row) return { jobType, table, jobId: row.job_id as string, attempt: row.attempt as number };
          }
          return undefined;
        },
        'the run to stop to have a QUEUED job',
        60_000,
        50,
      );
      const stoppedAt = Date.now();
      const stop = await fetchApi(api(`/runs/${toStop}/control`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'stop', reason: 'stopped while queued' }),
      });
      expect(stop.status).toBe(202);
      const cancelled = await waitFor(
        async () => {
          const [row] = await rowsOf(`select status, reason from read.${queued.table} where job_id = $1 and status = 'CANCELLED'`, [queued.jobId]);
          return row;
        },
        `the queued ${queued.jobType} job CANCELLED`,
        10_000,
        20,
      );
      const cancelMs = Date.now() - stoppedAt;
      console.log(`a queued ${queued.jobType} job of a run stopped: CANCELLED in the read model ${cancelMs} ms after the stop was sent`);
      expect(cancelled.reason).toBe('stopped while queued');
      // It never ran: QUEUED, then CANCELLED.
      const jobHistory = await rowsOf(`select status from read.state_history where job_id = $1 and attempt = $2 order by position`, [
        queued.jobId,
        queued.attempt,
      ]);
      expect(jobHistory.map((h) => h.status).filter((s) => s !== 'PENDING')).toEqual(['QUEUED', 'CANCELLED']);

      await expectAllSucceeded([...runIds, otherRun, priorityRun]);
      const finished = await finishedAt([...runIds, otherRun, priorityRun]);
      const medianOfKit = median(runIds.map((id) => finished.get(id)!));
      const rank = (runId: string) => runIds.filter((id) => finished.get(id)! < finished.get(runId)!).length;
      console.log(
        `${RUNS} runs on one kit: all SUCCESS ${((Date.now() - began) / 1000).toFixed(1)} s after the starts were sent; ` +
          `the other kit's run finished after ${rank(otherRun)} of them, the priority run after ${rank(priorityRun)}`,
      );
      // Fairness: the other kit's single run does not wait for the hundred.
      expect(finished.get(otherRun)!).toBeLessThan(medianOfKit);
      // Priority: started after all of them, it overtakes most of those still queued.
      expect(finished.get(priorityRun)!).toBeLessThan(medianOfKit);

      // The stopped run never reached SUCCESS, and nothing of it ran after the stop.
      const [stopped] = await rowsOf(`select status from read.runs where run_id = $1`, [toStop]);
      expect(stopped.status).toBe('CANCELLED');
      expect(await rowsOf(`select task_name from read.state_history where run_id = $1 and status = 'SUCCESS' and task_name = 'optimize'`, [toStop])).toEqual(
        [],
      );
    } finally {
      probes = await watch.stop();
      report(`${RUNS} runs on one kit`, probes);
    }
    expectAnswered(probes);
  }, 480_000);
});
