import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunCursor, benchMetadata } from './bench-fixtures.js';
import type { BenchSettings } from './bench-settings.js';
import { type Percentiles, fmtInt, fmtMs, now, percentiles, progressLine } from './measure.js';
import { type Pipeline, READ_SCHEMA, newCursors } from './pipeline.js';
import type { ReportSection } from './report.js';

/** Times of one event on the benchmark's clock (ms, performance.now()). */
interface EventTimes {
  readonly eventId: string;
  /** When the open-loop schedule wanted it sent (i / rate after the start). */
  readonly scheduledAt: number;
  startedAt?: number;
  committedAt?: number;
  /** Start of the first read-model poll whose snapshot contained its state_history row. */
  visibleAt?: number;
}

export interface LagResult {
  readonly json: unknown;
  /** The report section; the p99 row is held against `targetMs` when given. */
  section(targetMs?: number): ReportSection;
}

const POLL_MS = 10;

/**
 * Offers `lagRate` events/s for `lagMs` on an open-loop schedule (event i is due at i / rate,
 * whether or not earlier appends have finished, so queueing counts as lag), appended by the same
 * writers as (c). A connection polls read.state_history every 10 ms for rows newer than the last
 * seen; an event's visibility time is the start of the first poll that returned it, an upper bound
 * (the commit came before that poll's snapshot), so lag is over-stated by at most one poll period
 * plus the poll's own duration.
 */
export async function measureLag(p: Pipeline, settings: BenchSettings): Promise<LagResult> {
  const rate = settings.lagRate;
  const total = Math.round((rate * settings.lagMs) / 1000);
  console.log(
    `  (d) offering ${fmtInt(rate)} events/s for ${(settings.lagMs / 1000).toFixed(0)} s (${fmtInt(total)} events, open loop, ${settings.concurrency} appenders)`,
  );
  const { rows } = await p.watcher.query<{ id: string }>(`select coalesce(max(position), 0) as id from ${READ_SCHEMA}.state_history`);
  let lastId = Number(rows[0]!.id);

  const times: EventTimes[] = [];
  const byEventId = new Map<string, EventTimes>();
  const idle: RunCursor[] = newCursors(settings.concurrency);
  let nextToSend = 0;
  let committed = 0;
  let visible = 0;
  let failures = 0;
  let firstError: string | undefined;
  const t0 = now() + 50;
  const publishedAt = new Map<string, number>();
  p.relayStats.publishedAt = publishedAt;

  const send = async (writer: RunCursor, seq: number) => {
    const t = times[seq]!;
    t.startedAt = now();
    try {
      const result = await p.store.append(
        { streamId: writer.streamId, expectedVersion: writer.version, events: [writer.nextEvent(t.eventId)] },
        benchMetadata(),
      );
      writer.appended(result.nextExpectedVersion);
      t.committedAt = now();
      committed++;
    } catch (error) {
      failures++;
      firstError ??= (error as Error).message;
    } finally {
      idle.push(writer);
      pump();
    }
  };
  const pump = () => {
    while (idle.length > 0 && nextToSend < times.length) void send(idle.pop()!, nextToSend++);
  };
  const schedule = () => {
    const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
    while (times.length < due) {
      const seq = times.length;
      const entry: EventTimes = { eventId: randomUUID(), scheduledAt: t0 + (seq * 1000) / rate };
      times.push(entry);
      byEventId.set(entry.eventId, entry);
    }
    pump();
  };

  while (now() < t0) await sleep(1);
  const dispatcher = setInterval(() => {
    schedule();
    if (times.length >= total) clearInterval(dispatcher);
  }, 1);
  const ticker = setInterval(() => {
    const s = (now() - t0) / 1000;
    progressLine(
      `(d) ${s.toFixed(1)} s: offered ${fmtInt(times.length)}, committed ${fmtInt(committed)}, waiting to send ${fmtInt(times.length - nextToSend)}, visible ${fmtInt(visible)}`,
    );
  }, 1_000);

  const deadline = t0 + settings.lagMs + 30_000;
  try {
    while (now() < deadline && visible + failures < total) {
      const pollStart = now();
      const { rows: seen } = await p.watcher.query<{ id: string; event_id: string }>(
        `select position as id, event_id from ${READ_SCHEMA}.state_history where position > $1 order by position`,
        [lastId],
      );
      for (const row of seen) {
        lastId = Math.max(lastId, Number(row.id));
        const t = byEventId.get(row.event_id);
        if (t && t.visibleAt === undefined) {
          t.visibleAt = pollStart;
          visible++;
        }
      }
      await sleep(POLL_MS);
    }
  } finally {
    clearInterval(dispatcher);
    clearInterval(ticker);
    p.relayStats.publishedAt = undefined;
  }
  // Let appends still in flight settle before the pipeline is closed.
  const settleBy = now() + 30_000;
  while (idle.length < settings.concurrency && now() < settleBy) await sleep(5);

  const done = times.filter((t) => t.visibleAt !== undefined);
  const lastCommit = Math.max(...times.map((t) => t.committedAt ?? 0));
  const achieved = committed / ((lastCommit - t0) / 1000);
  const lag = percentiles(done.map((t) => t.visibleAt! - t.scheduledAt));
  const fromAppend = percentiles(done.map((t) => t.visibleAt! - t.startedAt!));
  const appendPart = percentiles(done.map((t) => t.committedAt! - t.scheduledAt));
  const deliveryPart = percentiles(done.filter((t) => t.committedAt !== undefined).map((t) => t.visibleAt! - t.committedAt!));
  // Split at the relay's acknowledgement by JetStream (the batch's ack time, so an upper bound for each event).
  const relayed = done.filter((t) => t.committedAt !== undefined && publishedAt.has(t.eventId));
  const relayPart = percentiles(relayed.map((t) => publishedAt.get(t.eventId)! - t.committedAt!));
  const foldPart = percentiles(relayed.map((t) => t.visibleAt! - publishedAt.get(t.eventId)!));
  const missing = total - done.length;
  if (missing > 0)
    console.error(`  ! (d) ${fmtInt(missing)} of ${fmtInt(total)} events never became visible${firstError ? ` (first append error: ${firstError})` : ''}`);

  const json = {
    offeredRate: rate,
    seconds: settings.lagMs / 1000,
    total,
    achievedRate: achieved,
    failures,
    missing,
    pollMs: POLL_MS,
    lagMs: lag,
    fromAppendStartMs: fromAppend,
    appendMs: appendPart,
    deliveryMs: deliveryPart,
    relayMs: relayPart,
    consumeAndFoldMs: foldPart,
  };
  return {
    json,
    section: (targetMs) => ({
      title: `(d) lag, append → read-model commit, at ${fmtInt(rate)} events/s offered for ${(settings.lagMs / 1000).toFixed(0)} s${targetMs === undefined ? ' (below saturation, for comparison)' : ''}`,
      rows: [
        {
          label: 'offered / achieved append rate',
          figure: `${fmtInt(achieved)} ev/s`,
          detail: `offered ${fmtInt(rate)} ev/s${failures ? `, ${failures} appends failed` : ''}`,
        },
        { label: 'lag p50 (scheduled send → visible)', figure: `${fmtMs(lag.p50)} ms` },
        {
          id: targetMs !== undefined ? 'lagP99Ms' : 'lagP99MsBelowSaturation',
          label: 'lag p99 (scheduled send → visible)',
          figure: `${fmtMs(lag.p99)} ms`,
          value: missing > 0 ? Number.MAX_VALUE : lag.p99,
          ...(targetMs !== undefined ? { target: { max: targetMs } } : {}),
          detail: missing > 0 ? `${fmtInt(missing)} events never visible` : `max ${fmtMs(lag.max)} ms`,
        },
        { label: '  of which: queue + append commit', figure: pctlText(appendPart) },
        { label: '  of which: relay + JetStream + fold', figure: pctlText(deliveryPart) },
        { label: '    commit → stored in JetStream (relay)', figure: pctlText(relayPart), detail: 'to the ack of the event’s relay batch' },
        { label: '    stored → visible (projector)', figure: pctlText(foldPart) },
        { label: '  lag from append call (no queueing)', figure: pctlText(fromAppend) },
      ],
      notes: [
        `visibility polled every ${POLL_MS} ms on its own connection (an upper bound: at most one poll period plus the query late)`,
        'scheduled send = when the open-loop schedule offered the event, so time waiting for a free appender counts as lag',
      ],
    }),
  };
}

const pctlText = (p: Percentiles) => `${fmtMs(p.p50)} / ${fmtMs(p.p99)} ms`;
