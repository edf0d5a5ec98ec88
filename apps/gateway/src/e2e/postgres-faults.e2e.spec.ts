import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  type Platform,
  type PostgresCluster,
  type ServiceName,
  fetchAs,
  metricSum,
  startPlatform,
  startPostgresCluster,
  uniqueNamespace,
  waitFor,
} from '@vista/testing';

/**
 * Postgres faults and graceful shutdown on the real platform processes, against a Postgres of this
 * test's own (it is damaged and stopped): backends terminated while runs flow, Postgres stopped for a
 * moment, and SIGTERM to each stage service while its jobs run. The full-size scenarios (100 runs) are
 * `npm run bench:faults`; these use fewer runs (E2E_FAULT_RUNS overrides).
 */
const EXAMPLES = path.resolve(process.cwd(), 'examples/decks');
const STAGES = ['deck', 'doe', 'ml', 'optimize'] as const;
const SERVICES: ServiceName[] = [...STAGES, 'projector', 'gateway'];
const RUNS = Number(process.env.E2E_FAULT_RUNS ?? 8);
/** Jobs each stage service runs at once (the full scenario: 20, so SIGTERM meets 20 running jobs). */
const WORKERS = process.env.E2E_FAULT_WORKERS ?? '2';
/** Waiting bounds grow with the number of runs (bounds on waiting, not performance assertions). */
const SCALE = Math.max(1, RUNS / 8);
/**
 * Runs whose jobs last seconds, so SIGTERM meets many running at once: a deck of LARGE_DECK_ROWS rows to
 * collect, DOE points labelled by an external evaluator that answers after EVALUATOR_DELAY_MS (a simulator,
 * in real life), a forest large enough to train for seconds. (DOE's jobs arrive as the deck's end, spread
 * out: it meets fewer at once than it has workers.)
 */
const LONG_JOBS = {
  sourcePath: 'large-surface.csv',
  params: { doe: { labelling: 'evaluator' }, ml: { algorithm: 'random-forest', hyperparameters: { nEstimators: 300 } } },
};
const LARGE_DECK_ROWS = 30_000;
const EVALUATOR_DELAY_MS = 1_500;
/** A bound on waiting for runs to end, not a performance assertion. */
const RUNS_BOUND_MS = 150_000 * SCALE;

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vista-pgfaults-'));
  await copyFile(path.join(EXAMPLES, 'quadratic-surface.csv'), path.join(folder, 'quadratic-surface.csv'));
  // The example's surface, sampled LARGE_DECK_ROWS times.
  const rows = Array.from({ length: LARGE_DECK_ROWS }, (_, i) => {
    const [x1, x2, x3] = [(i % 997) / 332, ((i * 7) % 991) / 495 - 1, ((i * 13) % 983) / 491];
    return `${x1.toFixed(4)},${x2.toFixed(4)},${x3.toFixed(4)},${surface([x1, x2, x3]).toFixed(4)}`;
  });
  await writeFile(path.join(folder, 'large-surface.csv'), `x1,x2,x3,y\n${rows.join('\n')}\n`);
});

/** The example decks' response surface. */
const surface = ([x1, x2, x3]: readonly number[]) => (x1! - 1.5) ** 2 + 2 * (x2! + 0.5) ** 2 + 0.5 * x3! + 3;

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

interface Answer {
  readonly what: string;
  readonly status: number;
  readonly retryAfter: string | null;
  readonly problem: boolean;
}

describe('Postgres faults and graceful shutdown, on the real platform processes and a Postgres of their own', () => {
  let cluster: PostgresCluster;
  let platform: Platform;
  let sql: pg.Pool;
  /** The external evaluator DOE labels points with (`labelling: evaluator`): it answers after EVALUATOR_DELAY_MS. */
  let evaluator: Server;
  /** Every answer the gateway gave in this file. */
  const answers: Answer[] = [];
  /** fetch with an admin's token on every call. */
  let fetchApi: typeof fetch = fetch;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    evaluator = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { points } = JSON.parse(body) as { points: number[][] };
        const answer = JSON.stringify({ responses: { y: points.map(surface) } });
        // A caller that gave up (its job stopped) has closed the connection; nothing to answer then.
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(answer), EVALUATOR_DELAY_MS);
      });
      res.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => evaluator.listen(0, '127.0.0.1', resolve));
    platform = await startPlatform({
      databaseUrl: cluster.url,
      namespace: uniqueNamespace(),
      services: SERVICES,
      readyTimeoutMs: 60_000 * SCALE,
      env: {
        DECK_SOURCE_DIR: folder,
        DOE_EVALUATOR_URL: `http://127.0.0.1:${(evaluator.address() as AddressInfo).port}/evaluate`,
        GATEWAY_RATE_LIMIT: '100000/1m',
        JOB_WORKERS: WORKERS,
        JOB_DRAIN_MS: '2000',
        SHUTDOWN_GRACE_MS: '10000',
      },
    });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    sql = new pg.Pool({ connectionString: cluster.url, max: 2 });
    sql.on('error', () => undefined);
  }, 180_000 * SCALE);

  afterAll(async () => {
    try {
      await sql?.end();
      await platform?.stop();
    } finally {
      await cluster?.destroy();
      evaluator?.closeAllConnections();
      await new Promise((resolve) => evaluator?.close(resolve));
    }
  }, 180_000);

  /** A gateway call whose answer is kept (status, Retry-After, problem+json). */
  const call = async (what: string, url: string, init?: RequestInit): Promise<Response> => {
    const res = await fetchApi(url, init);
    answers.push({
      what,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      problem: (res.headers.get('content-type') ?? '').includes('application/problem+json'),
    });
    return res;
  };

  /**
   * Starts a run, sending the same request again (same idempotency key) while the gateway answers 5xx;
   * every answer is kept, so a 5xx other than 503 still fails the test at its end.
   */
  const startRun = async (kitId: number, run: { sourcePath?: string; params?: Record<string, unknown> } = {}): Promise<string> => {
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const res = await call('start a run', api(`/kits/${kitId}/runs`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ sourcePath: 'quadratic-surface.csv', ...run }),
      });
      if (res.status === 202) return ((await res.json()) as { runId: string }).runId;
      const body = await res.text();
      if (res.status < 500 || attempt >= 20) throw new Error(`starting a run answered ${res.status}: ${body}`);
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 250);
    }
  };

  const rowsOf = async (query: string, params: unknown[] = []) => (await sql.query(query, params)).rows;

  /** Waits until every run has ended; returns the count of each overall status. */
  const endOf = async (runIds: readonly string[]): Promise<Record<string, number>> => {
    const rows = await waitFor(
      async () => {
        const found = await rowsOf(`select run_id, status from read.runs where run_id = any($1::uuid[])`, [runIds]);
        return found.length === runIds.length && found.every((r) => r.status !== 'RUNNING' && r.status !== 'PENDING') ? found : undefined;
      },
      `${runIds.length} runs to end`,
      RUNS_BOUND_MS,
      500,
    );
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.status as string] = (counts[r.status as string] ?? 0) + 1;
    // A run that ended otherwise says why: its stage attempts that did not succeed, with their reasons.
    for (const r of rows.filter((row) => row.status !== 'SUCCESS')) {
      const attempts = await rowsOf(
        `select 'deck' as stage, attempt, status, reason from read.deck_collection where run_id = $1 and status <> 'SUCCESS'
         union all select 'doe', attempt, status, reason from read.doe_step where run_id = $1 and status <> 'SUCCESS'
         union all select 'ml:' || step_name, attempt, status, reason from read.ml_step where run_id = $1 and status <> 'SUCCESS'
         union all select 'optimize', attempt, status, reason from read.optimize_step where run_id = $1 and status <> 'SUCCESS'`,
        [r.run_id],
      );
      console.log(`run ${r.run_id} ended ${r.status}: ${JSON.stringify(attempts)}`);
    }
    return counts;
  };

  /** Completions recorded more than once for one job (a step's work counted twice): none expected. */
  const doubleCompletions = async () => {
    const doubled: unknown[] = [];
    for (const schema of STAGES) {
      doubled.push(
        ...(await rowsOf(
          `select stream_id, type, count(*)::int as n from ${schema}.events where type like '%Completed' group by stream_id, type having count(*) > 1`,
        )),
      );
    }
    return doubled;
  };

  const expectAllAlive = () => {
    for (const service of platform.services.values()) {
      expect({ service: service.name, exitCode: service.process.exitCode, signal: service.process.signalCode }).toEqual({
        service: service.name,
        exitCode: null,
        signal: null,
      });
    }
  };

  const readiness = async (url: string) => {
    const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    if (!res) return { status: 0, body: undefined };
    return { status: res.status, body: (await res.json().catch(() => undefined)) as { checks?: Record<string, { ok: boolean; error?: string }> } | undefined };
  };

  it(
    `lets ${RUNS} runs end while every Postgres backend is terminated 5 times: no process exits or hangs, no 5xx but 503 with Retry-After`,
    async () => {
      let polling = true;
      // Reads through the gateway all along, so its answers during the faults are seen too.
      const poller = (async () => {
        while (polling) {
          const res = await call('kit state', api(`/kits/${9_000}/state`)).catch(() => undefined);
          await res?.arrayBuffer();
          await sleep(200);
        }
      })();
      const runIds: string[] = [];
      const terminated: number[] = [];
      const starts = Promise.all(
        Array.from({ length: RUNS }, async (_, i) => {
          await sleep(i * Math.max(100, 300 / SCALE));
          runIds.push(await startRun(9_000 + i));
        }),
      );
      for (let i = 0; i < 5; i++) {
        await sleep(1_500 * SCALE);
        terminated.push(await cluster.terminateBackends());
      }
      await starts;
      const began = Date.now();
      const statuses = await endOf(runIds);
      polling = false;
      await poller;
      console.log(
        `backends terminated 5 times (${terminated.join(', ')} connections); ${RUNS} runs ended ${((Date.now() - began) / 1000).toFixed(1)} s after the last termination: ${JSON.stringify(statuses)}`,
      );
      expect(statuses).toEqual({ SUCCESS: RUNS });
      expect(await doubleCompletions()).toEqual([]);
      expectAllAlive();
      const serverErrors = answers.filter((a) => a.status >= 500);
      console.log(`gateway answers: ${answers.length}, 503: ${serverErrors.filter((a) => a.status === 503).length}`);
      expect(serverErrors.filter((a) => a.status !== 503 || a.retryAfter === null || !a.problem)).toEqual([]);
      // Every service is ready again by itself.
      for (const service of platform.services.values())
        await waitFor(async () => (await readiness(service.url)).status === 200, `${service.name} ready`, 30_000, 200);
    },
    240_000 * SCALE,
  );

  it('says not ready, naming Postgres, while it is stopped, answers 503 with Retry-After, and is ready again by itself once it is back', async () => {
    const stoppedAt = Date.now();
    await cluster.stop('fast');
    const down = new Map<string, { ms: number; error?: string }>();
    await waitFor(
      async () => {
        for (const service of platform.services.values()) {
          if (down.has(service.name)) continue;
          const { status, body } = await readiness(service.url);
          if (status === 503 && body?.checks?.postgres?.ok === false) down.set(service.name, { ms: Date.now() - stoppedAt, error: body.checks.postgres.error });
        }
        return down.size === platform.services.size;
      },
      'every service to say Postgres is down',
      30_000,
      100,
    );
    const res = await call('kit state while Postgres is stopped', api('/kits/9000/state'));
    expect([res.status, res.headers.get('retry-after'), res.headers.get('content-type')]).toEqual([
      503,
      '2',
      expect.stringContaining('application/problem+json'),
    ]);
    await sleep(2_000);
    const startedAt = Date.now();
    await cluster.start();
    const back = new Map<string, number>();
    await waitFor(
      async () => {
        for (const service of platform.services.values()) {
          if (!back.has(service.name) && (await readiness(service.url)).status === 200) back.set(service.name, Date.now() - startedAt);
        }
        return back.size === platform.services.size;
      },
      'every service ready again',
      60_000,
      100,
    );
    for (const [name, { ms, error }] of down)
      console.log(`postgres stopped: ${name} not ready after ${ms} ms ("postgres": ${error}); ready ${back.get(name)} ms after it was back`);
    expectAllAlive();
    // And work flows again.
    expect(await endOf([await startRun(9_500)])).toEqual({ SUCCESS: 1 });
  }, 120_000);

  it(
    'finishes or hands back running jobs on SIGTERM to each stage service; after a restart every run completes, no job counted twice',
    async () => {
      // The jobs the stage's process is working on now, as it says itself (`vista_jobs_running`): a job of a
      // second or less may never show RUNNING in the read model between two polls.
      const runningNow = async (stage: (typeof STAGES)[number]) => {
        const res = await fetch(`${platform.services.get(stage)!.url}/metrics`).catch(() => undefined);
        return res?.ok ? metricSum(await res.text(), 'vista_jobs_running', { stage }) : 0;
      };
      const runIds: string[] = [];
      for (const stage of STAGES) {
        // A burst of runs, so their jobs reach the stage together: SIGTERM goes when it holds as many as it has
        // workers, or as soon as the count falls from its peak (while some still run).
        const burst = Math.max(2, Math.floor(RUNS / 4));
        const first = runIds.length;
        const started = Promise.all(Array.from({ length: burst }, (_, i) => startRun(9_600 + first + i, LONG_JOBS)));
        let peak = 0;
        let running = 0;
        for (const until = Date.now() + 30_000 * SCALE; Date.now() < until; await sleep(20)) {
          running = await runningNow(stage);
          if (running >= Number(WORKERS) || (running > 0 && running < peak) || (peak > 0 && running === 0)) break;
          peak = Math.max(peak, running);
        }
        const began = Date.now();
        const exit = await platform.terminate(stage);
        console.log(`SIGTERM to ${stage} with ${running} job(s) running: exited ${JSON.stringify(exit)} after ${Date.now() - began} ms`);
        expect(exit).toEqual({ code: 0, signal: null });
        await platform.restart(stage);
        runIds.push(...(await started));
      }
      expect(await endOf(runIds)).toEqual({ SUCCESS: runIds.length });
      expect(await doubleCompletions()).toEqual([]);
      expectAllAlive();
    },
    240_000 * SCALE,
  );
});
