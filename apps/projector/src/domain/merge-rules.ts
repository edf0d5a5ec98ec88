import type { UpsertRows, UpsertTable } from './read-model.rows.js';

type Column<R> = Exclude<keyof R & string, 'position'>;

/**
 * How the columns of one table combine two versions of a row, so that applying events in any order,
 * any number of times, gives the same row. The repository turns the same rules into SQL.
 */
export interface MergeRule<R> {
  readonly key: readonly Column<R>[];
  /** Status-like: the value of the newest event (highest position) wins. */
  readonly latest: readonly Column<R>[];
  /** Set once: the first non-null value stays; every event of the row agrees on it. */
  readonly once?: readonly Column<R>[];
  /** The earliest timestamp seen. */
  readonly earliest?: readonly Column<R>[];
  /** JSON objects merged key by key, the newer version winning a key both have. */
  readonly merged?: readonly Column<R>[];
  /** Counters: each version carries what its own events add. */
  readonly summed?: readonly Column<R>[];
  /**
   * JSON objects that carry the position of the event that set them (their `position` key): the
   * higher stamp wins and null never does. For a value set by other events than the row's own
   * (a run's stop or retry), which must neither override nor be overridden by the `latest` columns.
   */
  readonly stamped?: readonly Column<R>[];
}

// A retry is a new attempt of the same job: each attempt is a row of its own, its history kept.
const stageOnce = ['run_id', 'kit_id', 'requested_at', 'started_at', 'finished_at', 'timeout_ms'] as const;
const stageLatest = ['status', 'reason', 'updated_at'] as const;

export const MERGE_RULES: { readonly [T in UpsertTable]: MergeRule<UpsertRows[T]> } = {
  kits: {
    key: ['kit_id'],
    latest: ['last_run_id', 'status', 'current_task', 'current_order', 'updated_at'],
    earliest: ['created_at'],
    summed: ['runs'],
  },
  runs: {
    key: ['run_id'],
    latest: ['status'],
    once: ['kit_id', 'deck_id', 'source_path', 'params', 'started_at'],
    // Rows of KitRunStopped / KitRunRetried have position 0 (they never win `latest`); the control
    // they record is stamped with its event's position.
    stamped: ['last_control'],
  },
  kit_state: {
    key: ['kit_id', 'job_type', 'task_name'],
    // The row is the latest transition, whole: a column kept from another version could belong to
    // another job when an older job's late event interleaves (last writer by position is the only
    // merge that gives the same row in any order). A job's start and end times stay in its stage row.
    latest: ['job_id', 'run_id', 'attempt', 'status', 'current_order', 'created_at', 'started_at', 'finished_at', 'reason', 'metadata'],
  },
  deck_collection: {
    key: ['job_id', 'attempt'],
    latest: stageLatest,
    once: [...stageOnce, 'deck_id', 'source_path', 'row_count', 'factors', 'responses'],
    earliest: ['created_at'],
    merged: ['metadata'],
  },
  doe_step: {
    key: ['job_id', 'attempt'],
    latest: stageLatest,
    once: [...stageOnce, 'data_info'],
    earliest: ['created_at'],
    merged: ['metadata'],
  },
  ml_step: {
    key: ['job_id', 'attempt', 'step_name'],
    latest: stageLatest,
    once: [...stageOnce, 'step_order'],
    earliest: ['created_at'],
    merged: ['metadata'],
  },
  optimize_step: {
    key: ['job_id', 'attempt'],
    latest: stageLatest,
    once: stageOnce,
    earliest: ['created_at'],
    merged: ['metadata'],
  },
  decks: {
    key: ['deck_id'],
    latest: ['name', 'dataset_type', 'format', 'factors', 'responses', 'row_count', 'statistics', 'ground_truth', 'ingested_at'],
  },
  models: {
    key: ['model_id'],
    latest: [
      'model_version',
      'kit_id',
      'run_id',
      'algorithm',
      'deck_id',
      'dataset_id',
      'metrics',
      'r2',
      'hyperparameters',
      'params',
      'factors',
      'response',
      'lineage',
      'artifact_digest',
      'registered_at',
    ],
  },
};

/** Every column a rule names, key first; position last. */
export function columnsOf<R>(rule: MergeRule<R>): string[] {
  return [
    ...rule.key,
    ...rule.latest,
    ...(rule.once ?? []),
    ...(rule.earliest ?? []),
    ...(rule.merged ?? []),
    ...(rule.summed ?? []),
    ...(rule.stamped ?? []),
    'position',
  ];
}

/** The identity of a row under a rule (its primary key as one string). */
export function keyOf<R>(rule: MergeRule<R>, row: R): string {
  const r = row as Record<string, unknown>;
  return rule.key.length === 1 ? String(r[rule.key[0]!]) : rule.key.map((k) => String(r[k])).join('\u0000');
}

/**
 * Combines the row already there with an incoming version of it, by the rule. Mirrors the
 * repository's `ON CONFLICT DO UPDATE`, where `existing` is the stored row and `incoming` the new one.
 */
export function mergeRow<R extends { position: number }>(rule: MergeRule<R>, existing: R, incoming: R): R {
  return mergeInto(rule, { ...existing }, incoming);
}

/** `mergeRow` writing into `existing` (for rows the caller owns). */
export function mergeInto<R extends { position: number }>(rule: MergeRule<R>, existing: R, incoming: R): R {
  const e = existing as Record<string, unknown>;
  const i = incoming as Record<string, unknown>;
  const incomingIsNewer = existing.position < incoming.position;
  if (incomingIsNewer) for (const c of rule.latest) e[c] = i[c];
  for (const c of rule.once ?? []) e[c] = e[c] ?? i[c] ?? null;
  for (const c of rule.earliest ?? []) e[c] = earliest(e[c] as string | null, i[c] as string | null);
  for (const c of rule.merged ?? []) {
    const a = (e[c] ?? {}) as object;
    const b = (i[c] ?? {}) as object;
    e[c] = incomingIsNewer ? { ...a, ...b } : { ...b, ...a };
  }
  for (const c of rule.summed ?? []) e[c] = (e[c] as number) + (i[c] as number);
  for (const c of rule.stamped ?? []) e[c] = newerStamp(e[c] as Stamped | null, i[c] as Stamped | null);
  e.position = Math.max(existing.position, incoming.position);
  return existing;
}

type Stamped = { position: number } & Record<string, unknown>;

/** The stamped value with the higher position; null never wins. */
export function newerStamp(a: Stamped | null, b: Stamped | null): Stamped | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return b.position > a.position ? b : a;
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}
