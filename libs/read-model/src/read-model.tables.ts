import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Timestamps come back as Date and go in as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableJson<T extends object = Record<string, unknown>> = ColumnType<T | null, string | null, string | null>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type Json<T extends object = Record<string, unknown>> = JSONColumnType<T, string, string>;

export interface KitsTable {
  kit_id: number;
  last_run_id: string | null;
  status: string;
  current_task: string | null;
  current_order: number | null;
  runs: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  position: number;
}

export interface RunsTable {
  run_id: string;
  kit_id: number;
  deck_id: string | null;
  source_path: string | null;
  params: NullableJson;
  started_at: NullableTimestamp;
  status: string;
  /** The latest stop or retry asked for the run, with the position of its event. */
  last_control: NullableJson<RunControl>;
  position: number;
}

/** A stop or retry of a run (`KitRunStopped` / `KitRunRetried`). */
export interface RunControl {
  action: 'stop' | 'retry';
  at: string;
  reason: string | null;
  actor: string;
  /** Position of the event: the newest control wins, whatever order events are applied in. */
  position: number;
}

export interface KitStateTable {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: string;
  current_order: number;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  reason: string | null;
  metadata: Json;
  position: number;
}

export interface StateHistoryTable {
  id: Generated<number>;
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: string;
  current_order: number;
  created_at: Timestamp;
  metadata: Json;
  event_id: string;
  position: number;
}

export interface FoldedEventsTable {
  event_id: string;
  type: string;
  position: number;
}

/** Stage rows are keyed by (job_id, attempt); ML steps by (job_id, attempt, step_name). */
interface StageColumns {
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
  position: number;
}

export interface DeckCollectionTable extends StageColumns {
  deck_id: string | null;
  source_path: string | null;
  row_count: number | null;
  factors: NullableJson<string[]>;
  responses: NullableJson<string[]>;
}

export interface DoeStepTable extends StageColumns {
  data_info: NullableJson;
}

export interface MlStepTable extends StageColumns {
  step_name: string;
  step_order: number;
}

export type OptimizeStepTable = StageColumns;

export interface DecksTable {
  deck_id: string;
  name: string;
  dataset_type: string;
  format: string;
  factors: Json<string[]>;
  responses: Json<string[]>;
  row_count: number;
  statistics: Json;
  ground_truth: string | null;
  ingested_at: Timestamp;
  position: number;
}

export interface ModelsTable {
  model_id: string;
  model_version: number;
  kit_id: number;
  run_id: string;
  algorithm: string;
  deck_id: string;
  dataset_id: string;
  metrics: Json<Record<string, number>>;
  r2: number;
  /** Null on models registered before these were recorded. */
  hyperparameters: NullableJson;
  params: NullableJson;
  factors: NullableJson<string[]>;
  response: string | null;
  /** deck → design → model. */
  lineage: NullableJson;
  artifact_digest: string | null;
  registered_at: Timestamp;
  position: number;
}

/** One line a job wrote (`JobLogged`); an event's lines are keyed by (event_id, seq). */
export interface JobLogsTable {
  event_id: string;
  /** The line's index in its event. */
  seq: number;
  job_id: string;
  attempt: number;
  job_type: string;
  kit_id: number;
  run_id: string;
  at: Timestamp;
  level: string;
  task: string | null;
  message: string;
  position: number;
}

export interface ProjectorStatusTable {
  projector: string;
  position: Generated<number>;
  applied_events: Generated<number>;
  lag_events: Generated<number>;
  lag_seconds: Generated<number>;
  heartbeat_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The read schema (`read`, or `read_rebuild_<id>` during a rebuild). */
export interface ReadModelDatabase {
  kits: KitsTable;
  runs: RunsTable;
  kit_state: KitStateTable;
  state_history: StateHistoryTable;
  folded_events: FoldedEventsTable;
  deck_collection: DeckCollectionTable;
  doe_step: DoeStepTable;
  ml_step: MlStepTable;
  optimize_step: OptimizeStepTable;
  decks: DecksTable;
  models: ModelsTable;
  job_logs: JobLogsTable;
  projector_status: ProjectorStatusTable;
}

export type ReadModelTable = keyof ReadModelDatabase;
