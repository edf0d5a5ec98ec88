// The runs benchmark: `npm run bench:runs` (flags and environment: see readRunsSettings). On the real
// services (processes from dist/, a fresh database and bus namespace, default job timeouts) it measures
// (a) the floor: each stage's pure computation on the example deck, in this process;
// (b) one run end to end through the gateway, median of several, and its overhead per stage transition;
// (c) N runs started at once (BENCH_RUNS, default 100): wall time, runs per minute, outcomes, ratio to the floor;
// (d) each service's peak RSS and threads over the whole bench.
// Prints a table with the targets (progress lines on stderr) and writes dist/bench/runs.json. A missed
// target is a finding, not a failure: the process exits 0 unless something crashed.
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { connectNats } from '@vista/bus';
import { busNames } from '@vista/contracts';
import {
  type Platform,
  type ReadinessProbe,
  type ServiceName,
  type TestDatabase,
  createTestDatabase,
  startPlatform,
  testServers,
  uniqueNamespace,
  watchReadiness,
} from '@vista/testing';
import { type Floor, measureFloor, readDeck } from './floor.phase.js';
import { fmtInt } from './measure.js';
import { type ReportSection, renderReport, verdict, writeJson } from './report.js';
import {
  type RunsSettings,
  STAGE_TRANSITIONS,
  describeTally,
  floorRunsPerMinute,
  fmtMib,
  fmtSeconds,
  median,
  overheadPerTransitionMs,
  readRunsSettings,
  runsPerMinute,
  tally,
} from './runs-figures.js';
import { DECK_FILE, type FollowedRun, ServiceSampler, type StageSpans, medianSpans, stageSpans, startAndFollow, stopUnfinished } from './runs.phase.js';
import { RUN_TARGETS } from './targets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DECKS = join(ROOT, 'examples', 'decks');
const OUTPUT = join(ROOT, 'dist', 'bench', 'runs.json');
const SERVICES: ServiceName[] = ['deck', 'doe', 'ml', 'optimize', 'projector', 'gateway'];
const SINGLE_KITS_FROM = 1;
const CONCURRENT_KITS_FROM = 1_001;
const ONE_KIT = 9_001;

const progress = (line: string): void => console.error(`[bench:runs] ${line}`);

interface Concurrent {
  readonly label: string;
  readonly runs: FollowedRun[];
  readonly wallMs: number;
  readonly postsMs: number;
  readonly deadlineHit: boolean;
  /** Unfinished runs the bench stopped when it gave up, and how many of them ended before it went on. */
  readonly stopped?: { stopped: number; ended: number };
  /** Every `/health/ready` answer of every service while the batch ran. */
  readonly readiness: ReadinessProbe[];
}

async function main(): Promise<void> {
  const settings = readRunsSettings(process.env, process.argv.slice(2));
  const started = new Date();
  const cores = os.cpus().length;
  console.error(`Vista runs benchmark — ${cores} cores, node ${process.version}; ${JSON.stringify(settings)}`);

  // (a) The floor, before any service runs.
  progress(`(a) the floor: each stage's computation on ${DECK_FILE}, ${settings.floorRepetitions} repetitions in this process`);
  const floor = measureFloor(await readDeck(join(DECKS, DECK_FILE)), settings.floorRepetitions, progress);

  let db: TestDatabase | undefined;
  let platform: Platform | undefined;
  let sql: pg.Pool | undefined;
  let sampler: ServiceSampler | undefined;
  const namespace = uniqueNamespace();
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaned ??= (async () => {
      sampler?.stop();
      await sql?.end().catch(() => undefined);
      progress('stopping the services');
      await platform?.stop().catch((error) => console.error(`stopping the services: ${(error as Error).message}`));
      await db?.drop().catch((error) => console.error(`dropping the database: ${(error as Error).message}`));
      await deleteNamespace(namespace).catch((error) => console.error(`deleting the bus namespace: ${(error as Error).message}`));
    })());
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  });
  // A safety net over the phases' own deadlines: the bench ends by itself whatever hangs.
  const budgetMs = 180_000 + settings.singleRuns * settings.singleDeadlineS * 1000 + (settings.oneKit ? 2 : 1) * settings.concurrentDeadlineS * 1000;
  const watchdog = setTimeout(() => {
    console.error(`the bench ran past its ${Math.round(budgetMs / 1000)} s budget: cleaning up and giving up`);
    void cleanup().finally(() => process.exit(2));
  }, budgetMs);
  watchdog.unref();

  try {
    db = await createTestDatabase('bench_runs');
    progress(`starting ${SERVICES.join(', ')} from dist/ (database ${db.name}, bus namespace ${namespace})`);
    platform = await startPlatform({ databaseUrl: db.url, namespace, services: SERVICES, env: { DECK_SOURCE_DIR: DECKS } });
    sampler = new ServiceSampler(platform);
    sampler.start();
    sql = new pg.Pool({ connectionString: db.url, max: 2, application_name: 'bench-runs-watcher' });
    // One operator for the whole bench, its token valid for longer than the bench's budget.
    const auth = await platform.identity.headers({ name: 'bench', roles: ['logic.general'], expiresInSeconds: Math.ceil(budgetMs / 1000) + 600 });

    // (b) One run at a time.
    const singles: FollowedRun[] = [];
    const spans: StageSpans[] = [];
    for (let i = 0; i < settings.singleRuns; i++) {
      const { runs } = await startAndFollow(
        {
          gatewayUrl: platform.gatewayUrl,
          auth,
          sql,
          kitIds: [SINGLE_KITS_FROM + i],
          deadlineMs: settings.singleDeadlineS * 1000,
          pollMs: 50,
          label: 'single run',
        },
        progress,
      );
      const run = runs[0]!;
      singles.push(run);
      if (run.outcome === 'UNFINISHED') await stopUnfinished(platform.gatewayUrl, auth, sql, [run], 60_000);
      if (run.runId) spans.push(await stageSpans(sql, run.runId));
      progress(
        `(b) single run ${i + 1}/${settings.singleRuns}: ${run.outcome}${run.endedAfterMs !== undefined ? ` after ${fmtSeconds(run.endedAfterMs)}` : ''}${run.rejected ? ` (${run.rejected})` : ''}`,
      );
    }

    // (c) N at once, on N kits (and optionally on one kit).
    const concurrent: Concurrent[] = [];
    const batches: { label: string; kitIds: number[] }[] = [
      { label: `${settings.runs} runs on ${settings.runs} kits`, kitIds: Array.from({ length: settings.runs }, (_, i) => CONCURRENT_KITS_FROM + i) },
    ];
    if (settings.oneKit) batches.push({ label: `${settings.runs} runs on one kit`, kitIds: Array.from({ length: settings.runs }, () => ONE_KIT) });
    for (const batch of batches) {
      progress(`(c) starting ${batch.label} at once (gives up after ${settings.concurrentDeadlineS} s)`);
      const readinessWatch = watchReadiness([...platform.services.values()].map((service) => service.url));
      const result = await startAndFollow(
        { gatewayUrl: platform.gatewayUrl, auth, sql, kitIds: batch.kitIds, deadlineMs: settings.concurrentDeadlineS * 1000, pollMs: 500, label: batch.label },
        progress,
      );
      const readiness = await readinessWatch.stop();
      const deadlineHit = result.runs.some((r) => r.outcome === 'UNFINISHED');
      let stopped: Concurrent['stopped'];
      if (deadlineHit) {
        progress(`(c) gave up on ${batch.label}: stopping the unfinished runs (waiting up to 60 s for them to end)`);
        stopped = await stopUnfinished(platform.gatewayUrl, auth, sql, result.runs, 60_000);
      }
      concurrent.push({ label: batch.label, ...result, deadlineHit, readiness, ...(stopped ? { stopped } : {}) });
    }

    sampler.stop();
    const results = assemble(started, cores, settings, floor, singles, medianSpans(spans), concurrent, sampler);
    console.log(renderReport(results.header, results.sections));
    await writeJson(OUTPUT, results.json);
    console.log(`\nresults written to ${OUTPUT}`);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

/** Removes the streams and buckets the services created in the bench's bus namespace. */
async function deleteNamespace(namespace: string): Promise<void> {
  const names = busNames(namespace);
  const nc = await connectNats(testServers.natsUrl, 'bench-runs-cleanup');
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [names.eventsStream, names.deadLetterStream, `OBJ_${names.artifactsBucket}`, `OBJ_${names.uploadsBucket}`]) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
  } finally {
    await nc.close();
  }
}

const ms = (value: number): string => (Number.isFinite(value) ? `${fmtInt(value)} ms` : '—');

function assemble(
  started: Date,
  cores: number,
  settings: RunsSettings,
  floor: Floor,
  singles: FollowedRun[],
  spans: StageSpans,
  concurrent: Concurrent[],
  sampler: ServiceSampler,
) {
  const floorPerMinute = floorRunsPerMinute(cores, floor.sumMs);
  const succeeded = singles.filter((r) => r.outcome === 'SUCCESS' && r.endedAfterMs !== undefined).map((r) => r.endedAfterMs!);
  // The median is only a run's time when every run succeeded: a failed or unfinished run has none.
  const singleMs = succeeded.length === singles.length ? median(succeeded) : Number.NaN;
  const overheadMs = overheadPerTransitionMs(singleMs, floor.sumMs);
  const floorOf = Object.fromEntries(floor.stages.map((s) => [s.stage, s.medianMs]));
  const spanSum = Object.keys(spans).length === 4 ? Object.values(spans).reduce((sum, v) => sum + v, 0) : Number.NaN;

  const sections: ReportSection[] = [
    {
      title: `(a) the floor: each stage's computation on ${DECK_FILE}, in this process (median of ${floor.repetitions})`,
      rows: [
        ...floor.stages.map((s) => ({ label: `${s.stage}: ${s.work}`, figure: ms(s.medianMs), detail: `min ${ms(s.minMs)}, first (cold) ${ms(s.coldMs)}` })),
        { label: 'one run of pure computation (sum)', figure: ms(floor.sumMs) },
        {
          label: `floor throughput on ${cores} cores`,
          figure: `${floorPerMinute.toFixed(0)} runs/min`,
          detail: `${cores} × 60 s ÷ ${fmtSeconds(floor.sumMs)}`,
        },
      ],
      notes: [
        `default parameters, as a run without any gets them; ${floor.outcome.rows} deck rows → ${floor.outcome.points} design points → R² ${floor.outcome.r2.toFixed(4)} →`,
        `best ${JSON.stringify(roundAll(floor.outcome.bestFactors))} predicted ${JSON.stringify(roundAll(floor.outcome.predicted))}`,
      ],
    },
    {
      title: `(b) one run end to end through the gateway: POST → SUCCESS in read.runs (median of ${singles.length}, one at a time)`,
      rows: [
        {
          id: 'singleRunMs',
          label: 'one run, POST → SUCCESS',
          figure: ms(singleMs),
          value: singleMs,
          target: RUN_TARGETS.singleRunMs,
          detail: singles.map((r) => (r.outcome === 'SUCCESS' ? fmtSeconds(r.endedAfterMs!) : r.outcome)).join(', '),
        },
        {
          id: 'overheadPerTransitionMs',
          label: `overhead per stage transition (÷ ${STAGE_TRANSITIONS})`,
          figure: ms(overheadMs),
          value: overheadMs,
          target: RUN_TARGETS.overheadPerTransitionMs,
          detail: `(${ms(singleMs)} − floor ${ms(floor.sumMs)}) ÷ ${STAGE_TRANSITIONS}`,
        },
        ...(['deck', 'doe', 'ml', 'optimize'] as const).map((stage) => ({
          label: `  ${stage} job: requested → finished`,
          figure: ms(spans[stage] ?? Number.NaN),
          detail: spans[stage] === undefined ? '' : `floor ${ms(floorOf[stage] ?? Number.NaN)}, beyond it ${ms(spans[stage]! - (floorOf[stage] ?? 0))}`,
        })),
        {
          label: '  outside the stage jobs',
          figure: ms(singleMs - spanSum),
          detail: 'POST → deck job requested, hand-offs between stages, projection of the end and the 50 ms poll',
        },
      ],
      notes: [
        `transitions counted: ${STAGE_TRANSITIONS}, one per stage job (deck, doe, ml, optimize); each carries the hand-off into its stage (the POST's`,
        'command for deck, the previous stage’s completion event otherwise), its job lifecycle and worker start-up; optimize also carries the',
        'projection of the run’s end. The end is seen by polling read.runs every 50 ms; stage spans come from the stages’ read-model rows',
        '(requested_at → finished_at, service clocks, median per stage); the rest of a run is the gaps between stages',
      ],
    },
    ...concurrent.map((batch): ReportSection => {
      const counts = tally(batch.runs.map((r) => r.outcome));
      const perMinute = runsPerMinute(counts.SUCCESS, batch.wallMs);
      const vsFloor = perMinute / floorPerMinute;
      const rejected = [...new Set(batch.runs.filter((r) => r.rejected).map((r) => r.rejected!))];
      const ended = batch.runs.filter((r) => r.endedAfterMs !== undefined).map((r) => r.endedAfterMs!);
      return {
        title: `(c) ${batch.label}, started at once`,
        rows: [
          {
            label: batch.deadlineHit ? `wall time (gave up after ${settings.concurrentDeadlineS} s)` : 'wall time, first POST → last run ended',
            figure: fmtSeconds(batch.wallMs),
            detail: `${batch.runs.length} POSTs answered within ${fmtSeconds(batch.postsMs)}`,
          },
          { label: 'outcomes', figure: `${counts.SUCCESS}/${batch.runs.length} SUCCESS`, detail: describeTally(counts) },
          { label: 'runs per minute (SUCCESS ÷ wall time)', figure: Number.isFinite(perMinute) ? perMinute.toFixed(1) : '—' },
          {
            id: 'concurrentVsFloor',
            label: 'ratio to the floor throughput',
            figure: Number.isFinite(vsFloor) ? vsFloor.toFixed(3) : '—',
            value: vsFloor,
            target: RUN_TARGETS.concurrentVsFloor,
            detail: `${Number.isFinite(perMinute) ? perMinute.toFixed(1) : '—'} ÷ ${floorPerMinute.toFixed(0)} runs/min`,
          },
          readinessRow(batch.readiness),
          {
            label: 'run ended after (p50 / max)',
            figure: ended.length ? `${fmtSeconds(median(ended))} / ${fmtSeconds(Math.max(...ended))}` : '—',
          },
        ],
        notes: [
          'each run: POST /api/v1/kits/{kitId}/runs {"sourcePath":"quadratic-surface.csv"}, no parameters; the services run with their default job timeouts',
          'its end: a terminal status (SUCCESS / FAILED / TIMEOUT / CANCELLED) in read.runs, polled every 500 ms',
          ...(rejected.length ? [`POSTs not accepted: ${rejected.slice(0, 3).join(' | ')}`] : []),
          ...(batch.deadlineHit
            ? [
                'UNFINISHED runs were still going when the bench gave up; they do not count as finished. The bench then stopped them',
                `(${batch.stopped?.stopped ?? 0} stops accepted, ${batch.stopped?.ended ?? 0} ended within 60 s) so they would not weigh on what came next`,
              ]
            : []),
        ],
      };
    }),
    {
      title: '(d) each service process over the whole bench',
      rows: sampler.peaks.map((p) => ({
        id: `rss.${p.service}`,
        label: `${p.service} peak RSS (VmHWM)`,
        figure: fmtMib(p.peakRssMiB),
        value: p.peakRssMiB,
        target: RUN_TARGETS.serviceRssMiB,
        detail: `threads up to ${p.maxThreads} (sampled every 500 ms); RSS sampled up to ${fmtMib(p.sampledRssMiB)}`,
      })),
    },
  ];
  const header = [`Vista runs benchmark — ${started.toISOString()}`, `${cores} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`];
  const checks = sections.flatMap((s) =>
    s.rows.filter((r) => r.target).map((r) => ({ id: r.id, figure: r.label.trim(), value: r.value, target: r.target, result: verdict(r.value, r.target) })),
  );
  const json = {
    startedAt: started.toISOString(),
    machine: { cores, cpu: os.cpus()[0]?.model, node: process.version },
    settings,
    floor: { ...floor, runsPerMinute: floorPerMinute },
    single: { medianMs: singleMs, overheadPerTransitionMs: overheadMs, transitions: STAGE_TRANSITIONS, runs: singles, stageSpansMedianMs: spans },
    concurrent: concurrent.map((c) => ({ ...c, outcomes: tally(c.runs.map((r) => r.outcome)) })),
    services: sampler.peaks,
    checks,
  };
  return { header, sections, json };
}

const roundAll = (values: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v.toFixed(3))]));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('the benchmark crashed:', error);
    process.exit(1);
  },
);

/** The readiness answers of a batch: p99 against its target, with p50, the slowest and who gave it. */
function readinessRow(probes: readonly ReadinessProbe[]): ReportSection['rows'][number] {
  const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
  const quantile = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? Number.NaN;
  const slowest = probes.reduce<ReadinessProbe | undefined>((a, b) => (!a || b.ms > a.ms ? b : a), undefined);
  const failed = probes.filter((p) => p.status !== 200).length;
  return {
    id: 'readinessP99Ms',
    label: '/health/ready of every service, p99',
    figure: `${quantile(0.99).toFixed(0)} ms`,
    value: quantile(0.99),
    target: RUN_TARGETS.readinessP99Ms,
    detail: `${probes.length} answers, ${failed} not 200; p50 ${quantile(0.5).toFixed(0)} ms, slowest ${slowest ? `${slowest.ms.toFixed(0)} ms (${slowest.url})` : '—'}`,
  };
}
