import { type DeliveredEvent, type JobStatus, type JobType, ML_STEPS, TASK_ORDER, type TaskName, findEvent, type PayloadOf } from '@vista/contracts';
import { keyOf, MERGE_RULES, mergeInto } from './merge-rules.js';
import type {
  DeckCollectionRow,
  FoldedEventRow,
  HistoryRow,
  JobLogRow,
  Json,
  RunControl,
  RunRow,
  StageRow,
  UpsertRows,
  UpsertTable,
} from './read-model.rows.js';
import { runStatusOf } from './run-status.js';
import { UnfoldableEventError } from './unfoldable-event.error.js';

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

interface Lifecycle {
  readonly jobType: JobType;
  readonly status: JobStatus;
  readonly task: TaskName;
  readonly order: number;
}

interface JobRef {
  kitId: number;
  runId: string;
  jobId: string;
  attempt: number;
}

type Payload = Record<string, unknown>;

const REF_FIELDS = new Set(['kitId', 'runId', 'jobId', 'attempt', 'step']);
const STAGE_TABLE: Record<JobType, 'deck_collection' | 'doe_step' | 'ml_step' | 'optimize_step'> = {
  deck: 'deck_collection',
  doe: 'doe_step',
  ml: 'ml_step',
  optimize: 'optimize_step',
};

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
 * Folds events into the rows they change, merged per key by the table's rules. Pure: the same
 * events give the same rows whatever order they come in. The caller passes only events not
 * applied before (their markers were new).
 */
export function foldEvents(events: readonly DeliveredEvent<object>[]): ReadModelChanges {
  const tables = {
    kits: new Map(),
    runs: new Map(),
    kit_state: new Map(),
    deck_collection: new Map(),
    doe_step: new Map(),
    ml_step: new Map(),
    optimize_step: new Map(),
    decks: new Map(),
    models: new Map(),
  } as { [T in UpsertTable]: Map<string, UpsertRows[T]> };
  const changedKits = new Map<number, number>();
  const jobLogs: JobLogRow[] = [];

  const put = <T extends UpsertTable>(table: T, row: UpsertRows[T]): void => {
    const rule = MERGE_RULES[table];
    const key = keyOf(rule, row);
    const existing = tables[table].get(key);
    // The batch owns these rows, so merging in place saves a copy per event.
    if (existing) mergeInto(rule, existing, row);
    else tables[table].set(key, row);
  };
  const touchKit = (kitId: number, position: number): void => {
    changedKits.set(kitId, Math.max(changedKits.get(kitId) ?? 0, position));
  };

  for (const event of distinctEvents(events)) {
    const { envelope, position } = event;
    const occurredAt = timestamp(envelope.occurredAt, event);
    const lifecycle = lifecycleOf(event);
    if (lifecycle) {
      const p = envelope.data as JobRef & Payload;
      touchKit(p.kitId, position);
      const runStatus = runStatusOf(lifecycle.status, lifecycle.task);
      const detail = detailOf(p);
      const startedAt = optionalTimestamp(p.startedAt, event);
      const finishedAt = optionalTimestamp(p.completedAt ?? p.failedAt ?? p.timedOutAt ?? p.cancelledAt, event);
      const reason = typeof p.reason === 'string' ? p.reason : null;
      put('kits', {
        kit_id: p.kitId,
        last_run_id: p.runId,
        status: runStatus,
        current_task: lifecycle.task,
        current_order: lifecycle.order,
        runs: 0,
        created_at: occurredAt,
        updated_at: occurredAt,
        position,
      });
      put('runs', {
        run_id: p.runId,
        kit_id: p.kitId,
        deck_id: null,
        source_path: null,
        params: null,
        started_at: null,
        status: runStatus,
        last_control: null,
        position,
      });
      put('kit_state', {
        kit_id: p.kitId,
        job_type: lifecycle.jobType,
        task_name: lifecycle.task,
        job_id: p.jobId,
        run_id: p.runId,
        attempt: p.attempt,
        status: lifecycle.status,
        current_order: lifecycle.order,
        created_at: occurredAt,
        started_at: startedAt,
        finished_at: finishedAt,
        reason,
        metadata: { event: envelope.type, ...detail },
        position,
      });
      const stage: StageRow = {
        job_id: p.jobId,
        run_id: p.runId,
        kit_id: p.kitId,
        attempt: p.attempt,
        status: lifecycle.status,
        reason,
        requested_at: optionalTimestamp(p.requestedAt, event),
        started_at: startedAt,
        finished_at: finishedAt,
        timeout_ms: typeof p.timeoutMs === 'number' ? p.timeoutMs : null,
        created_at: occurredAt,
        updated_at: occurredAt,
        metadata: { [envelope.type]: detail },
        position,
      };
      switch (STAGE_TABLE[lifecycle.jobType]) {
        case 'deck_collection':
          put('deck_collection', deckCollectionRow(stage, p));
          break;
        case 'doe_step':
          put('doe_step', { ...stage, data_info: isObject(p.dataInfo) ? p.dataInfo : null });
          break;
        case 'ml_step':
          put('ml_step', { ...stage, step_name: lifecycle.task, step_order: ML_STEPS.indexOf(lifecycle.task as never) + 1 });
          break;
        case 'optimize_step':
          put('optimize_step', stage);
          break;
      }
      continue;
    }

    switch (envelope.type) {
      case 'KitRunStarted': {
        const p = envelope.data as PayloadOf<'KitRunStarted'>;
        touchKit(p.kitId, position);
        put('kits', {
          kit_id: p.kitId,
          last_run_id: p.runId,
          status: 'PENDING',
          current_task: null,
          current_order: null,
          runs: 1,
          created_at: occurredAt,
          updated_at: occurredAt,
          position,
        });
        put('runs', {
          run_id: p.runId,
          kit_id: p.kitId,
          deck_id: p.deckId ?? null,
          source_path: p.sourcePath ?? null,
          params: p.params,
          started_at: timestamp(p.startedAt, event),
          status: 'PENDING',
          last_control: null,
          position,
        });
        break;
      }
      case 'KitRunStopped':
      case 'KitRunRetried': {
        // The stage services record what follows (the job CANCELLED, the new attempt PENDING); the
        // run keeps the control itself, which does not change its status.
        const p = envelope.data as PayloadOf<'KitRunStopped'> | PayloadOf<'KitRunRetried'>;
        touchKit(p.kitId, position);
        const stopped = envelope.type === 'KitRunStopped';
        const control: RunControl = {
          action: stopped ? 'stop' : 'retry',
          at: timestamp(stopped ? (p as PayloadOf<'KitRunStopped'>).stoppedAt : (p as PayloadOf<'KitRunRetried'>).retriedAt, event),
          reason: p.reason ?? null,
          actor: envelope.metadata.actor,
          position,
        };
        put('runs', controlRow(p.runId, p.kitId, control));
        break;
      }
      case 'JobLogged': {
        const p = envelope.data as PayloadOf<'JobLogged'>;
        p.lines.forEach((line, seq) =>
          jobLogs.push({
            event_id: envelope.eventId,
            seq,
            job_id: p.jobId,
            attempt: p.attempt,
            job_type: p.jobType,
            kit_id: p.kitId,
            run_id: p.runId,
            at: timestamp(line.at, event),
            level: line.level,
            task: line.task ?? null,
            message: line.message,
            position,
          }),
        );
        break;
      }
      case 'DeckIngested': {
        const p = envelope.data as PayloadOf<'DeckIngested'>;
        put('decks', {
          deck_id: p.deckId,
          name: p.name,
          dataset_type: p.datasetType,
          format: p.format,
          factors: p.factors,
          responses: p.responses,
          row_count: p.rowCount,
          statistics: p.statistics,
          ground_truth: p.groundTruth ?? null,
          ingested_at: timestamp(p.ingestedAt, event),
          position,
        });
        break;
      }
      case 'ModelRegistered': {
        const p = envelope.data as PayloadOf<'ModelRegistered'>;
        touchKit(p.kitId, position);
        put('models', {
          model_id: p.modelId,
          model_version: p.modelVersion,
          kit_id: p.kitId,
          run_id: p.runId,
          algorithm: p.algorithm,
          deck_id: p.deckId,
          dataset_id: p.datasetId,
          metrics: p.metrics,
          r2: p.r2,
          // Models registered before these were recorded have none.
          hyperparameters: p.hyperparameters ?? null,
          params: p.params ?? null,
          factors: p.factors ?? null,
          response: p.response ?? null,
          lineage: p.lineage ?? null,
          artifact_digest: p.artifactDigest ?? null,
          registered_at: p.registeredAt === undefined ? occurredAt : timestamp(p.registeredAt, event),
          position,
        });
        break;
      }
      default:
        // A known event no read model shows (yet): applied as a no-op, its marker still kept.
        break;
    }
  }

  return {
    rows: Object.fromEntries(Object.entries(tables).map(([t, m]) => [t, [...m.values()]])) as ReadModelChanges['rows'],
    jobLogs,
    changedKits,
  };
}

/** The job transition an event records, or undefined for events outside the job lifecycle. */
export function lifecycleOf(event: DeliveredEvent<object>): Lifecycle | undefined {
  const lifecycle = findEvent(event.envelope.type)?.lifecycle;
  if (!lifecycle) return undefined;
  const task = (typeof lifecycle.task === 'function' ? (lifecycle.task as (p: object) => TaskName)(event.envelope.data) : lifecycle.task) as TaskName;
  const order = TASK_ORDER[task];
  if (order === undefined) throw new UnfoldableEventError(`${event.envelope.type} names an unknown task "${task}"`, event.position);
  return { jobType: lifecycle.jobType, status: lifecycle.status, task, order };
}

function historyRow(event: DeliveredEvent<object>, lifecycle: Lifecycle): HistoryRow {
  const { envelope, position } = event;
  const p = envelope.data as JobRef & Payload;
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
    metadata: { ...detailOf(p), event: envelope.type, actor: envelope.metadata.actor, correlationId: envelope.metadata.correlationId },
    event_id: envelope.eventId,
    position,
  };
}

/**
 * The run row a stop or retry writes: position 0, so its placeholder columns never win over the
 * run's own (`latest` needs a higher position, `once` keeps the first non-null); the control is
 * stamped with its event's position and merges on that.
 */
function controlRow(runId: string, kitId: number, control: RunControl): RunRow {
  return {
    run_id: runId,
    kit_id: kitId,
    deck_id: null,
    source_path: null,
    params: null,
    started_at: null,
    status: 'PENDING',
    last_control: control,
    position: 0,
  };
}

function deckCollectionRow(stage: StageRow, p: Payload): DeckCollectionRow {
  return {
    ...stage,
    deck_id: typeof p.deckId === 'string' ? p.deckId : null,
    source_path: typeof p.sourcePath === 'string' ? p.sourcePath : null,
    row_count: typeof p.rowCount === 'number' ? p.rowCount : null,
    factors: Array.isArray(p.factors) ? (p.factors as string[]) : null,
    responses: Array.isArray(p.responses) ? (p.responses as string[]) : null,
  };
}

/** The event-specific part of a payload: everything but the job reference. */
function detailOf(payload: Payload): Json {
  const detail: Json = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!REF_FIELDS.has(key) && value !== undefined) detail[key] = value;
  }
  return detail;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Timestamps are stored as UTC ISO strings, so they compare as text and round-trip through Postgres. */
function timestamp(value: unknown, event: DeliveredEvent<object>): string {
  if (typeof value === 'string' && CANONICAL_TIMESTAMP.test(value)) return value;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UnfoldableEventError(`${event.envelope.type} at ${event.position} has an unreadable timestamp ${JSON.stringify(value)}`, event.position);
  }
  return date.toISOString();
}

function optionalTimestamp(value: unknown, event: DeliveredEvent<object>): string | null {
  return value === undefined || value === null ? null : timestamp(value, event);
}
