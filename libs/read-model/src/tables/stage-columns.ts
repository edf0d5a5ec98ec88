import { type RawBuilder, sql } from 'kysely';
import type { JobStatus } from '@vista/contracts';
import type { MergeRule } from './merge-rule.js';
import { CREATE, JOB_LIST, LEAN, STAGE_ATTEMPTS, STAGE_RESULTS } from './migration-names.js';
import type { Json, JsonObject, NullableJson, NullableTimestamp, SqlType, TableMigration, Timestamp } from './table.js';

/**
 * Columns every stage-detail table shares (deck_collection, doe_step, ml_step, optimize_step).
 * Rows are keyed by (job_id, attempt); ML steps by (job_id, attempt, step_name).
 */
export interface StageColumns {
  job_id: string;
  run_id: string;
  kit_id: number;
  attempt: number;
  status: string;
  reason: string | null;
  requested_at: NullableTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  timeout_ms: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  metadata: Json;
  /** What the task's completion event says it produced (without what travels along the chain); null until it succeeds. */
  result: NullableJson;
  /** The result's headline figures a kit's state shows (`STAGE_SUMMARY_FIELDS`). */
  summary: NullableJson;
  position: number;
}

export interface StageRow {
  job_id: string;
  run_id: string;
  kit_id: number;
  attempt: number;
  status: JobStatus;
  reason: string | null;
  requested_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  timeout_ms: number | null;
  created_at: string;
  updated_at: string;
  /** Each event's detail under its type: `{ DoeRequested: {...}, DoeCompleted: {...} }`. */
  metadata: JsonObject;
  result: JsonObject | null;
  summary: JsonObject | null;
  position: number;
}

/**
 * The members of a task's result a kit's state shows: small figures that say how it went. Large
 * outputs (a design's dataInfo, an optimisation trace, a scaler, a validation report) stay in
 * `result`, at the job's own URL.
 */
export const STAGE_SUMMARY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  deck_collection: ['deckId', 'sourcePath', 'rowCount', 'factors', 'responses'],
  doe: ['designType', 'pointCount', 'datasetId'],
  optimize: ['modelId', 'bestFactors', 'predicted', 'objective', 'goal', 'evaluations', 'starts'],
  preprocess: ['rowsIn', 'rowsOut'],
  scaling: ['method'],
  training: ['modelId', 'algorithm', 'hyperparameters'],
  test: ['rmse', 'mae', 'r2', 'testRows'],
};

/** The summary of a task's result. */
export function summaryOf(result: JsonObject | null, task: string): JsonObject | null {
  if (!result) return null;
  const fields = STAGE_SUMMARY_FIELDS[task] ?? [];
  return Object.fromEntries(fields.filter((field) => result[field] !== undefined).map((field) => [field, result[field]]));
}

export const STAGE_SQL_TYPES = {
  job_id: 'uuid',
  run_id: 'uuid',
  kit_id: 'integer',
  attempt: 'integer',
  status: 'text',
  reason: 'text',
  requested_at: 'timestamptz',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
  timeout_ms: 'bigint',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  metadata: 'jsonb',
  result: 'jsonb',
  summary: 'jsonb',
  position: 'bigint',
} as const satisfies Record<keyof StageRow, SqlType>;

// A retry is a new attempt of the same job: each attempt is a row of its own, its history kept.
const stageOnce = ['run_id', 'kit_id', 'requested_at', 'started_at', 'finished_at', 'timeout_ms', 'result', 'summary'] as const;

/** The merge rule of a stage table: its key, and the columns of its own set once. */
export function stageMergeRule<R extends StageRow>(key: MergeRule<R>['key'], once: MergeRule<R>['once'] = []): MergeRule<R> {
  type Columns = MergeRule<R>['latest'];
  const columns = (names: readonly string[]) => names as unknown as Columns;
  return {
    key,
    latest: columns(['status', 'reason', 'updated_at']),
    once: [...columns(stageOnce), ...(once ?? [])],
    earliest: columns(['created_at']),
    merged: columns(['metadata']),
  };
}

const stageColumnsSql = sql`
    run_id uuid not null,
    kit_id integer not null,
    attempt integer not null,
    status text not null,
    reason text,
    requested_at timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    timeout_ms bigint,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    metadata jsonb not null default '{}',
    position bigint not null`;

/**
 * The migrations every stage table shares, around its own columns: created keyed by job, re-keyed by
 * attempt, then given its result (filled from the completion events' detail its rows already hold).
 */
export function stageMigrations(
  table: string,
  own: { create: RawBuilder<unknown>; key: string[]; attemptKey: string[]; resultOf: RawBuilder<unknown>; task: RawBuilder<unknown> },
): Record<string, TableMigration> {
  const t = (s: RawBuilder<unknown>) => sql`${s}.${sql.id(table)}`;
  const pkey = sql.id(`${table}_pkey`);
  const keyList = (columns: string[]) => sql.join(columns.map((c) => sql.id(c)));
  return {
    [CREATE]: {
      up: (s) => [
        sql`create table ${t(s)} (${own.create}, ${stageColumnsSql}, primary key (${keyList(own.key)}))`,
        sql`create index ${sql.id(`${table}_run_id`)} on ${t(s)} (run_id)`,
      ],
      down: (s) => [sql`drop table ${t(s)}`],
    },
    [STAGE_ATTEMPTS]: {
      up: (s) => [sql`alter table ${t(s)} drop constraint ${pkey}, add primary key (${keyList(own.attemptKey)})`],
      // Only possible while no job has a second attempt: the old keys cannot hold two.
      down: (s) => [sql`alter table ${t(s)} drop constraint ${pkey}, add primary key (${keyList(own.key)})`],
    },
    [STAGE_RESULTS]: {
      up: (s) => [
        sql`alter table ${t(s)} add column result jsonb`,
        sql`update ${t(s)} set result = (${own.resultOf}) - 'completedAt'::text - 'chain'::text - 'params'::text where (${own.resultOf}) is not null`,
      ],
      down: (s) => [sql`alter table ${t(s)} drop column result`],
    },
    // The state reads a small summary column; the full result stays for the job's own page.
    [LEAN]: {
      up: (s) => [
        sql`alter table ${t(s)} add column summary jsonb`,
        sql`update ${t(s)} set summary = coalesce((select jsonb_object_agg(key, value) from jsonb_each(result) where key = any(${summaryFieldsOf(own.task)})), '{}'::jsonb) where result is not null`,
      ],
      down: (s) => [sql`alter table ${t(s)} drop column summary`],
    },
    // The jobs list walks the four stage tables newest first: each one ordered by time, merged.
    [JOB_LIST]: {
      up: (s) => [sql`create index ${sql.id(`${table}_created_at`)} on ${t(s)} (created_at, job_id)`],
      down: (s) => [sql`drop index ${s}.${sql.id(`${table}_created_at`)}`],
    },
  };
}

/** The summary fields of a task as a SQL text[] (`task` a SQL expression naming it). */
function summaryFieldsOf(task: RawBuilder<unknown>): RawBuilder<unknown> {
  const array = (fields: readonly string[]) => sql`array[${sql.join(fields.map((f) => sql.lit(f)))}]::text[]`;
  const cases = Object.entries(STAGE_SUMMARY_FIELDS).map(([name, fields]) => sql`when ${sql.lit(name)} then ${array(fields)}`);
  return sql`(case ${task} ${sql.join(cases, sql` `)} else array[]::text[] end)`;
}
