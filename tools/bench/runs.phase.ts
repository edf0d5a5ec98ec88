import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Platform, ServiceName } from '@vista/testing';
import { now } from './measure.js';
import { memoryOf } from './process-stats.js';
import { type RunOutcome, isTerminal, median } from './runs-figures.js';

/** The example deck, read by the deck service from DECK_SOURCE_DIR. */
export const DECK_FILE = 'quadratic-surface.csv';

/** One run followed from its POST to its end in the read model. */
export interface FollowedRun {
  readonly kitId: number;
  readonly runId?: string;
  /** The POST's status when it was not 202. */
  readonly rejected?: string;
  outcome: RunOutcome;
  /** POST sent → terminal status seen in `read.runs` (ms), when it ended. */
  endedAfterMs?: number;
}

/** The `Authorization` header the bench calls the gateway with (a token the platform's services trust). */
export type GatewayAuth = { readonly authorization: string };

/** Starts a run of the example deck with no parameters (every stage's defaults). */
export async function postRun(gatewayUrl: string, kitId: number, auth: GatewayAuth): Promise<{ runId?: string; rejected?: string }> {
  try {
    const res = await fetch(`${gatewayUrl}/api/v1/kits/${kitId}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ sourcePath: DECK_FILE }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status !== 202) return { rejected: `${res.status} ${text.slice(0, 160)}` };
    return { runId: (JSON.parse(text) as { runId: string }).runId };
  } catch (error) {
    return { rejected: (error as Error).message };
  }
}

/** Statuses of the given runs in the read model (`read.runs`), by run id. */
async function runStatuses(sql: pg.Pool, runIds: readonly string[]): Promise<Map<string, string>> {
  if (runIds.length === 0) return new Map();
  const { rows } = await sql.query<{ run_id: string; status: string }>('select run_id, status from read.runs where run_id = any($1)', [runIds]);
  return new Map(rows.map((r) => [r.run_id, r.status]));
}

/**
 * Posts the runs at once (one request per run, all in flight together), then polls the read model
 * until every started run reached a terminal status or the deadline passed. Progress every few seconds.
 */
export async function startAndFollow(
  options: { gatewayUrl: string; auth: GatewayAuth; sql: pg.Pool; kitIds: readonly number[]; deadlineMs: number; pollMs: number; label: string },
  progress: (line: string) => void,
): Promise<{ runs: FollowedRun[]; wallMs: number; postsMs: number }> {
  const t0 = now();
  const runs: FollowedRun[] = await Promise.all(
    options.kitIds.map(async (kitId) => {
      const posted = await postRun(options.gatewayUrl, kitId, options.auth);
      return posted.runId
        ? { kitId, runId: posted.runId, outcome: 'UNFINISHED' as RunOutcome }
        : { kitId, rejected: posted.rejected, outcome: 'NOT_STARTED' as RunOutcome };
    }),
  );
  const postsMs = now() - t0;
  const open = new Map(runs.filter((r) => r.runId).map((r) => [r.runId!, r]));
  let lastEnd = t0;
  let lastProgress = now();
  while (open.size > 0 && now() - t0 < options.deadlineMs) {
    const statuses = await runStatuses(options.sql, [...open.keys()]);
    const seen = now();
    for (const [runId, status] of statuses) {
      if (!isTerminal(status)) continue;
      const run = open.get(runId)!;
      run.outcome = status as RunOutcome;
      run.endedAfterMs = seen - t0;
      lastEnd = seen;
      open.delete(runId);
    }
    if (seen - lastProgress >= 5_000 || (open.size === 0 && options.kitIds.length > 1)) {
      lastProgress = seen;
      const ended = runs.length - open.size;
      const ok = runs.filter((r) => r.outcome === 'SUCCESS').length;
      progress(`${options.label}: ${((seen - t0) / 1000).toFixed(0)} s, ${ended}/${runs.length} ended (${ok} SUCCESS), ${open.size} in progress`);
    }
    if (open.size > 0) await sleep(options.pollMs);
  }
  return { runs, wallMs: (open.size === 0 ? lastEnd : now()) - t0, postsMs };
}

/**
 * Stops runs the bench gave up on (POST /runs/{runId}/control stop), so they do not compete with what
 * is measured next, and waits up to `waitMs` for them to end. Their outcome in the report stays UNFINISHED.
 */
export async function stopUnfinished(
  gatewayUrl: string,
  auth: GatewayAuth,
  sql: pg.Pool,
  runs: readonly FollowedRun[],
  waitMs: number,
): Promise<{ stopped: number; ended: number }> {
  const unfinished = runs.filter((r) => r.outcome === 'UNFINISHED' && r.runId).map((r) => r.runId!);
  const answers = await Promise.all(
    unfinished.map((runId) =>
      fetch(`${gatewayUrl}/api/v1/runs/${runId}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ action: 'stop' }),
        signal: AbortSignal.timeout(30_000),
      }).then(
        (res) => res.status,
        () => 0,
      ),
    ),
  );
  const deadline = now() + waitMs;
  let open = unfinished;
  while (open.length > 0 && now() < deadline) {
    const statuses = await runStatuses(sql, open);
    open = open.filter((runId) => !isTerminal(statuses.get(runId)));
    if (open.length > 0) await sleep(500);
  }
  return { stopped: answers.filter((status) => status === 202).length, ended: unfinished.length - open.length };
}

/** Per stage of one run: requested → finished in the stage's read-model rows (service clocks), ms. */
export type StageSpans = Partial<Record<'deck' | 'doe' | 'ml' | 'optimize', number>>;

const STAGE_TABLES = { deck: 'deck_collection', doe: 'doe_step', ml: 'ml_step', optimize: 'optimize_step' } as const;

/** The span of each stage's job from its rows: first requested (or started) to last finished. */
export async function stageSpans(sql: pg.Pool, runId: string): Promise<StageSpans> {
  const spans: StageSpans = {};
  for (const [stage, table] of Object.entries(STAGE_TABLES) as [keyof StageSpans, string][]) {
    const { rows } = await sql.query<{ ms: number | null }>(
      `select extract(epoch from (max(finished_at) - min(coalesce(requested_at, started_at)))) * 1000 as ms from read.${table} where run_id = $1`,
      [runId],
    );
    const ms = rows[0]?.ms;
    if (ms !== null && ms !== undefined) spans[stage] = Number(ms);
  }
  return spans;
}

/** Median of each stage's span over several runs. */
export function medianSpans(spans: readonly StageSpans[]): StageSpans {
  const out: StageSpans = {};
  for (const stage of Object.keys(STAGE_TABLES) as (keyof StageSpans)[]) {
    const values = spans.map((s) => s[stage]).filter((v): v is number => v !== undefined);
    if (values.length > 0) out[stage] = median(values);
  }
  return out;
}

export interface ServicePeak {
  readonly service: ServiceName;
  readonly pid: number | undefined;
  /** VmHWM at the end (the kernel's peak RSS of the process), MiB. */
  peakRssMiB: number;
  /** Highest VmRSS seen by the sampler, MiB. */
  sampledRssMiB: number;
  maxThreads: number;
}

const threadsOf = (pid: number): number | undefined => {
  try {
    const match = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
};

/** Samples every service process's RSS and thread count, and reads VmHWM on each sample (kept as the last seen). */
export class ServiceSampler {
  readonly peaks: ServicePeak[];
  private timer: NodeJS.Timeout | undefined;

  constructor(platform: Platform) {
    this.peaks = [...platform.services.values()].map((s) => ({
      service: s.name,
      pid: s.process.pid,
      peakRssMiB: Number.NaN,
      sampledRssMiB: Number.NaN,
      maxThreads: 0,
    }));
  }

  start(intervalMs = 500): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  sample(): void {
    for (const peak of this.peaks) {
      if (peak.pid === undefined) continue;
      const memory = memoryOf(peak.pid);
      if (memory && Number.isFinite(memory.peakRssMiB)) {
        peak.peakRssMiB = Number.isFinite(peak.peakRssMiB) ? Math.max(peak.peakRssMiB, memory.peakRssMiB) : memory.peakRssMiB;
        peak.sampledRssMiB = Number.isFinite(peak.sampledRssMiB) ? Math.max(peak.sampledRssMiB, memory.rssMiB) : memory.rssMiB;
      }
      peak.maxThreads = Math.max(peak.maxThreads, threadsOf(peak.pid) ?? 0);
    }
  }
}
