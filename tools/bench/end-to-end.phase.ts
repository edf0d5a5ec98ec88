import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendRates } from './append-rate.phase.js';
import { type BenchEnvironment, benchMetadata } from './bench-fixtures.js';
import type { BenchSettings } from './bench-settings.js';
import { type LagResult, measureLag } from './lag.phase.js';
import { type Percentiles, type Rate, fmtInt, fmtMs, now, progressLine, rateOf } from './measure.js';
import { type Pipeline, type RelayStats, READ_SCHEMA, newCursors, startPipeline } from './pipeline.js';
import { type CpuParty, type MemoryStats, cpuPerItem, cpuSnapshot } from './process-stats.js';
import { histogramMean } from './projector-process.js';
import { type PublisherProbe, probePublisher } from './publisher.probe.js';
import type { ReportRow, ReportSection } from './report.js';
import { TARGETS } from './targets.js';

export interface ThroughputResult {
  readonly events: number;
  /**
   * `live`: one event per append while relayed and folded; `batched`: the same, but a run's three
   * events per append (a producer that batches); `backlog`: appended first, then relayed and folded.
   */
  readonly mode: 'live' | 'batched' | 'backlog';
  /** First append to the last event folded into the read model. */
  readonly endToEnd: Rate;
  /** `live`: first append to the last append committed; `backlog`: how fast the backlog was appended beforehand. */
  readonly appends: Rate;
  /** First append to the last event acknowledged by JetStream. */
  readonly relayed: Rate;
  /** Whether every event was folded before the wait ran out. */
  readonly complete: boolean;
  readonly historyRows: number;
  readonly relay: ReturnType<RelayStats['summary']>;
  readonly projectorBatches: { count: number; meanSize: number; meanMs: number } | undefined;
  /** CPU µs per event of each party over the run. */
  readonly cpuMicrosPerEvent: Record<CpuParty, number | undefined>;
}

export interface EndToEndResults {
  /** Single-event appends, as services append per command, relayed and folded as they come. */
  readonly single: ThroughputResult;
  /** The same with a run's three events per append, as a producer that batches would. */
  readonly batched: ThroughputResult;
  /** A backlog relayed and folded after it was appended. */
  readonly backlog: ThroughputResult;
  sections(ceiling: number, ceilingName: string, rowPerTx: number): ReportSection[];
  readonly json: unknown;
}

export async function measureEndToEnd(env: BenchEnvironment, settings: BenchSettings, append: AppendRates): Promise<EndToEndResults> {
  console.log('(c)–(e) end to end: appenders → outbox relay → JetStream → projector process → read model');
  const publisher = await probePublisher(env, 10_000, 500);
  console.log(
    `  EventPublisher.publishBatch alone: ${fmtInt(publisher.distinctStreams.perSecond)} ev/s over distinct streams, ${fmtInt(publisher.oneStream.perSecond)} ev/s on one stream`,
  );
  const pipeline = await startPipeline(env, settings);
  let single: ThroughputResult;
  let batched: ThroughputResult;
  let backlog: ThroughputResult;
  let lag: LagResult;
  let calmLag: LagResult;
  let memory: MemoryStats | undefined;
  const readyMemory = pipeline.projectorReadyMemory;
  try {
    console.log(`  projector running as pid ${pipeline.projector.pid} (${pipeline.projector.url})`);
    // About six seconds of appends at the rate (b) measured, within bounds that keep the run short.
    const events = settings.endToEndEvents || clamp(Math.round(append.vistaConcurrent.perSecond * 6), 4_000, 30_000);
    single = await measureThroughput(pipeline, settings, events, 'live');
    batched = await measureThroughput(pipeline, settings, events, 'batched');
    backlog = await measureThroughput(pipeline, settings, settings.backlogEvents, 'backlog');
    lag = await measureLag(pipeline, settings);
    // The same at half the rate (c1) sustained: the pipeline's own latency, without saturation queueing.
    const calmRate = clamp(Math.round((single.endToEnd.perSecond * 0.5) / 100) * 100, 100, settings.lagRate);
    calmLag = await measureLag(pipeline, { ...settings, lagRate: calmRate, lagMs: 6_000 });
    memory = pipeline.projector.memory();
    if (!pipeline.projector.alive()) throw new Error(`the projector died:\n${pipeline.projector.output.slice(-20).join('\n')}`);
  } finally {
    await pipeline.close();
  }
  return {
    single,
    batched,
    backlog,
    sections: (ceiling, ceilingName, rowPerTx) =>
      sections(settings, single, batched, backlog, publisher, lag, calmLag, { ready: readyMemory, end: memory }, ceiling, ceilingName, rowPerTx),
    json: { publisher, single, batched, backlog, lag: lag.json, lagBelowSaturation: calmLag.json, projectorMemory: { whenReady: readyMemory, atEnd: memory } },
  };
}

/**
 * `live`: appenders append one event per transaction while the relay and projector run; measured
 * from the first append to the last event folded. `backlog`: the relay is stopped while the events
 * are appended (a run's three events per append), then started; measured from the relay's start to
 * the last event folded: what relay, JetStream and projector carry when appends are not the limit
 * (also how fast the pipeline catches up after an outage).
 */
export async function measureThroughput(p: Pipeline, settings: BenchSettings, events: number, mode: 'live' | 'batched' | 'backlog'): Promise<ThroughputResult> {
  const tag = mode === 'live' ? '(c1)' : mode === 'batched' ? '(c2)' : '(c3)';
  const writers = newCursors(settings.concurrency);
  const appliedBefore = await p.appliedEvents();
  const historyBefore = await historyCount(p);
  const metricsBefore = await p.projector.metrics().catch(() => '');
  const relayedBefore = p.relayStats.relayed;
  let issued = 0;
  let appended = 0;
  let folded = 0;
  let appendsDoneAt: number | undefined;
  let foldedAt: number | undefined;
  let failed = false;

  const appendAll = (perAppend: 'one' | 'run') =>
    Promise.all(
      writers.map(async (run) => {
        while (issued < events && !failed) {
          const batch = perAppend === 'one' ? [run.nextEvent()] : run.remainingEvents().slice(0, events - issued);
          issued += batch.length;
          const result = await p.store.append({ streamId: run.streamId, expectedVersion: run.version, events: batch }, benchMetadata());
          run.appended(result.nextExpectedVersion);
          appended += batch.length;
        }
      }),
    ).then(
      () => {
        appendsDoneAt = now();
      },
      (error: unknown) => {
        failed = true;
        throw error;
      },
    );

  let backlogRate: Rate | undefined;
  if (mode === 'backlog') {
    console.log(`  ${tag} ${fmtInt(events)} events appended with the relay stopped (a run's 3 events per append), then relayed and folded`);
    await p.relay.stop();
    const fillStart = now();
    await appendAll('run');
    backlogRate = rateOf(events, (appendsDoneAt ?? now()) - fillStart);
    progressLine(`${tag} backlog of ${fmtInt(events)} events appended at ${fmtInt(backlogRate.perSecond)} ev/s; starting the relay`);
  } else {
    console.log(`  ${tag} ${fmtInt(events)} events, ${settings.concurrency} appenders, ${mode === 'live' ? 'one event' : "a run's 3 events"} per append`);
  }
  p.relayStats.reset();
  const cpuBefore = cpuSnapshot(p.projector.pid);
  const t0 = now();
  const ticker = setInterval(() => {
    const s = (now() - t0) / 1000;
    const rss = p.projector.memory()?.rssMiB;
    progressLine(
      `${tag} ${s.toFixed(1)} s: appended ${fmtInt(appended)}, relayed ${fmtInt(p.relayStats.relayed - relayedBefore)}, folded ${fmtInt(folded)}` +
        `${rss ? `, projector RSS ${rss.toFixed(0)} MiB` : ''}`,
    );
  }, 1_000);
  try {
    const appending = mode === 'live' ? appendAll('one') : mode === 'batched' ? appendAll('run') : (p.relay.start(), Promise.resolve());
    const watching = (async () => {
      // Waits for the fold at most a minute after the last append.
      while (!failed && (appendsDoneAt === undefined || now() - appendsDoneAt < 60_000)) {
        folded = (await p.appliedEvents()) - appliedBefore;
        if (folded >= events) {
          foldedAt = now();
          return true;
        }
        await sleep(20);
      }
      return false;
    })();
    await appending;
    const complete = await watching;
    const cpuAfter = cpuSnapshot(p.projector.pid);
    const end = foldedAt ?? now();
    const metricsAfter = await p.projector.metrics().catch(() => '');
    const historyRows = (await historyCount(p)) - historyBefore;
    if (!complete) console.error(`  ! ${tag} only ${fmtInt(folded)} of ${fmtInt(events)} events were folded within a minute of the last append`);
    return {
      events,
      mode,
      endToEnd: rateOf(folded, end - t0),
      appends: backlogRate ?? rateOf(events, (appendsDoneAt ?? end) - t0),
      relayed: rateOf(p.relayStats.relayed - relayedBefore, p.relayStats.lastPublishedAt - t0),
      complete,
      historyRows,
      relay: p.relayStats.summary(),
      projectorBatches: batchDelta(metricsBefore, metricsAfter),
      cpuMicrosPerEvent: cpuPerItem(cpuBefore, cpuAfter, folded),
    };
  } finally {
    clearInterval(ticker);
    failed = true;
  }
}

async function historyCount(p: Pipeline): Promise<number> {
  const { rows } = await p.watcher.query<{ n: string }>(`select count(*) as n from ${READ_SCHEMA}.state_history`);
  return Number(rows[0]?.n ?? 0);
}

/** The projector's batches between two scrapes of its metrics. */
function batchDelta(before: string, after: string): ThroughputResult['projectorBatches'] {
  const size0 = histogramMean(before, 'vista_projector_batch_size');
  const size1 = histogramMean(after, 'vista_projector_batch_size');
  const dur0 = histogramMean(before, 'vista_projector_batch_duration_seconds');
  const dur1 = histogramMean(after, 'vista_projector_batch_duration_seconds');
  if (!size1 || !dur1) return undefined;
  const count = size1.count - (size0?.count ?? 0);
  if (count <= 0) return undefined;
  return {
    count,
    meanSize: (size1.sum - (size0?.sum ?? 0)) / count,
    meanMs: ((dur1.sum - (dur0?.sum ?? 0)) * 1000) / count,
  };
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));
const perSec = (n: number) => `${fmtInt(n)} ev/s`;
const pctl = (p: Percentiles) => `p50 ${fmtMs(p.p50)} / p99 ${fmtMs(p.p99)} ms`;
const cpuLine = (c: ThroughputResult['cpuMicrosPerEvent']) =>
  (['bench', 'projector', 'postgres', 'nats'] as const)
    .map((k) => `${k === 'bench' ? 'appenders+relay' : k} ${c[k] === undefined ? '—' : fmtInt(c[k]!)}`)
    .join(', ');

function throughputRows(t: ThroughputResult, n: number, ceiling: number, ceilingName: string, rowPerTx: number): ReportRow[] {
  const vsCeiling = ceiling > 0 ? t.endToEnd.perSecond / ceiling : Number.NaN;
  const vsRowPerTx = rowPerTx > 0 ? t.endToEnd.perSecond / rowPerTx : Number.NaN;
  const live = t.mode !== 'backlog';
  const perAppend = t.mode === 'live' ? 'one event per append' : "a run's 3 events per append";
  return [
    {
      label: live ? `events/s, first append → last folded${t.mode === 'batched' ? ' (batched)' : ''}` : 'events/s, backlog: relay start → last folded',
      figure: perSec(t.endToEnd.perSecond),
      detail:
        `${fmtInt(t.endToEnd.items)} events in ${t.endToEnd.seconds.toFixed(1)} s` +
        `${live ? `, ${n} appenders, ${perAppend}` : ''}${t.complete ? '' : ' (INCOMPLETE: not all folded)'}`,
    },
    {
      id: t.mode === 'live' ? 'endToEndLiveVsCeiling' : t.mode === 'batched' ? 'endToEndBatchedVsCeiling' : 'endToEndBacklogVsCeiling',
      label: `  ÷ lower raw ceiling (${ceilingName})`,
      figure: ratioText(vsCeiling),
      value: vsCeiling,
      target: TARGETS.endToEndVsCeiling,
      detail: `ceiling ${fmtInt(ceiling)}/s`,
    },
    ...(live
      ? [{ label: `  ÷ Postgres 1 row per tx, ${n} clients`, figure: ratioText(vsRowPerTx), detail: 'the commit-per-event floor this workload pays' }]
      : []),
    {
      label: live ? '  appends (same run)' : '  backlog appended beforehand at',
      figure: perSec(t.appends.perSecond),
      detail: live ? '' : `${n} appenders, a run's 3 events per append`,
    },
    {
      label: '  relayed to JetStream',
      figure: perSec(t.relayed.perSecond),
      detail: `${t.relay.batches} batches, mean ${t.relay.meanBatch.toFixed(0)} events (max ${fmtInt(t.relay.batchSizes.max)}), publish ${pctl(t.relay.publishMs)} per batch`,
    },
    {
      label: '  projector batches',
      figure: t.projectorBatches ? `${t.projectorBatches.count}` : '—',
      detail: t.projectorBatches
        ? `mean ${t.projectorBatches.meanSize.toFixed(0)} events, ${t.projectorBatches.meanMs.toFixed(1)} ms per batch`
        : 'metrics unavailable',
    },
    {
      label: '  CPU µs per event',
      figure: fmtInt(cpuTotal(t.cpuMicrosPerEvent)),
      detail: `${cpuLine(t.cpuMicrosPerEvent)}; at this cost ${os.cpus().length} cores carry ≤ ${fmtInt((os.cpus().length * 1e6) / cpuTotal(t.cpuMicrosPerEvent))} ev/s`,
    },
  ];
}

const mib = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : `${n.toFixed(0)} MiB`);
const ratioText = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : '—');
const cpuTotal = (c: ThroughputResult['cpuMicrosPerEvent']) => Object.values(c).reduce<number>((sum, v) => sum + (v ?? 0), 0);

function sections(
  settings: BenchSettings,
  single: ThroughputResult,
  batched: ThroughputResult,
  backlog: ThroughputResult,
  publisher: PublisherProbe,
  lag: LagResult,
  calmLag: LagResult,
  memory: { ready: MemoryStats | undefined; end: MemoryStats | undefined },
  ceiling: number,
  ceilingName: string,
  rowPerTx: number,
): ReportSection[] {
  const n = settings.concurrency;
  return [
    {
      title: '(c) end to end: EventStore.append → OutboxRelay → JetStream → projector process → read.state_history',
      rows: [
        ...throughputRows(single, n, ceiling, ceilingName, rowPerTx),
        ...throughputRows(batched, n, ceiling, ceilingName, rowPerTx),
        ...throughputRows(backlog, n, ceiling, ceilingName, rowPerTx),
        {
          label: `EventPublisher alone, ${publisher.batchSize}/batch, distinct streams`,
          figure: perSec(publisher.distinctStreams.perSecond),
          detail: 'every event of a batch on its own stream: all pipelined',
        },
        {
          label: `EventPublisher alone, ${publisher.batchSize}/batch, one stream`,
          figure: perSec(publisher.oneStream.perSecond),
          detail: 'events of one stream wait for the previous ack (ordering on failure)',
        },
      ],
      notes: [
        `events are a kit run's deck job lifecycle (Requested → Started → Completed) on its own \`deck-run-<runId>\` stream, the`,
        'appender tracking the version, then a new run: as the deck service appends (one command, one transition, one transaction)',
        'the backlog run shows what relay + JetStream + projector carry when the per-event commit is not the limit',
        `state_history rows added: ${fmtInt(single.historyRows)} of ${fmtInt(single.events)}, ${fmtInt(batched.historyRows)} of ${fmtInt(batched.events)} and ${fmtInt(backlog.historyRows)} of ${fmtInt(backlog.events)}; lower ceiling = min(JetStream publish, Postgres multi-row INSERT)`,
        'CPU per event from /proc: appenders+relay = this process; postgres and nats-server are host-wide (other work on the host counts too)',
      ],
    },
    lag.section(TARGETS.lagP99Ms.max),
    calmLag.section(),
    {
      title: '(e) projector process memory',
      rows: [
        { label: 'peak RSS (VmHWM) over (c) and (d)', figure: mib(memory.end?.peakRssMiB), detail: 'read from /proc/<pid>/status at the end' },
        { label: 'RSS when ready, before any event', figure: mib(memory.ready?.rssMiB) },
        { label: 'RSS at the end', figure: mib(memory.end?.rssMiB) },
      ],
    },
  ];
}
