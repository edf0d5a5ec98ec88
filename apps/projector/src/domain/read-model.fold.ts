import type { DeliveredEvent, EventName } from '@vista/contracts';
import { keyOf, MERGE_RULES, mergeInto } from './merge-rules.js';
import { lifecycleProjection } from './projections/job-lifecycle.projection.js';
import { type Lifecycle, lifecycleOf, PROJECTIONS, timestamp } from './projections/index.js';
import type { FoldedEventRow, HistoryRow, JobLogRow, UpsertRows, UpsertTable } from './read-model.rows.js';

export { lifecycleOf } from './projections/index.js';

/** What a batch of events writes: one merged row per key and table, appended log lines, plus who to notify. */
export interface ReadModelChanges {
  readonly rows: { readonly [T in UpsertTable]: UpsertRows[T][] };
  /** Lines of `JobLogged` events, append-only (a line already there is left as it is). */
  readonly jobLogs: JobLogRow[];
  /** Kit id → highest position of the batch that touched it (for view-changed notifications). */
  readonly changedKits: ReadonlyMap<number, number>;
}

/** The markers that say an event was applied: a history row for lifecycle events, a folded-event row otherwise. */
export interface AppliedMarkers {
  readonly history: HistoryRow[];
  readonly folded: FoldedEventRow[];
}

/** Orders a batch by position and drops repeated event ids (the first position wins). */
export function distinctEvents<E extends DeliveredEvent<object>>(events: readonly E[]): E[] {
  const seen = new Set<string>();
  return [...events]
    .sort((a, b) => a.position - b.position)
    .filter((e) => {
      if (seen.has(e.envelope.eventId)) return false;
      seen.add(e.envelope.eventId);
      return true;
    });
}

/** One marker per distinct event: the history row of a lifecycle event, or a folded-event row. */
export function appliedMarkers(events: readonly DeliveredEvent<object>[]): AppliedMarkers {
  const history: HistoryRow[] = [];
  const folded: FoldedEventRow[] = [];
  for (const event of distinctEvents(events)) {
    const lifecycle = lifecycleOf(event);
    if (lifecycle) history.push(historyRow(event, lifecycle));
    else folded.push({ event_id: event.envelope.eventId, type: event.envelope.type, position: event.position });
  }
  return { history, folded };
}

/**
 * Folds events into the rows they change, each by its event's projection (`projections/`), merged
 * per key by the table's rules. Pure: the same events give the same rows whatever order they come
 * in. The caller passes only events not applied before (their markers were new).
 */
export function foldEvents(events: readonly DeliveredEvent<object>[]): ReadModelChanges {
  const tables = Object.fromEntries(Object.keys(MERGE_RULES).map((t) => [t, new Map()])) as { [T in UpsertTable]: Map<string, UpsertRows[T]> };
  const changedKits = new Map<number, number>();
  const jobLogs: JobLogRow[] = [];

  for (const event of distinctEvents(events)) {
    const { envelope, position } = event;
    const projection = PROJECTIONS.get(envelope.type) ?? (lifecycleOf(event) ? lifecycleProjection(envelope.type as EventName) : undefined);
    // A known event no read model shows (yet): applied as a no-op, its marker still kept.
    if (!projection) continue;
    projection.project(envelope.data as never, {
      event,
      position,
      occurredAt: timestamp(envelope.occurredAt, event),
      put: (table, row) => {
        const rule = MERGE_RULES[table];
        const key = keyOf(rule, row);
        const existing = tables[table].get(key);
        // The batch owns these rows, so merging in place saves a copy per event.
        if (existing) mergeInto(rule, existing, row);
        else tables[table].set(key, row);
      },
      log: (line) => jobLogs.push(line),
      touchKit: (kitId) => changedKits.set(kitId, Math.max(changedKits.get(kitId) ?? 0, position)),
    });
  }

  return {
    rows: Object.fromEntries(Object.entries(tables).map(([t, m]) => [t, [...m.values()]])) as ReadModelChanges['rows'],
    jobLogs,
    changedKits,
  };
}

function historyRow(event: DeliveredEvent<object>, lifecycle: Lifecycle): HistoryRow {
  const { envelope, position } = event;
  const p = envelope.data as { kitId: number; runId: string; jobId: string; attempt: number; reason?: unknown };
  return {
    kit_id: p.kitId,
    job_type: lifecycle.jobType,
    task_name: lifecycle.task,
    job_id: p.jobId,
    run_id: p.runId,
    attempt: p.attempt,
    status: lifecycle.status,
    current_order: lifecycle.order,
    created_at: timestamp(envelope.occurredAt, event),
    reason: typeof p.reason === 'string' ? p.reason : null,
    actor: envelope.metadata.actor ?? null,
    event_id: envelope.eventId,
    position,
  };
}
