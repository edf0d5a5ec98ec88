import type { JobStatus } from '@vista/contracts';

/** Rows of the read model as the fold produces them (column names as in the tables; timestamps ISO-8601 UTC). */
export type Json = Record<string, unknown>;

export interface KitRow {
  kit_id: number;
  last_run_id: string | null;
  status: JobStatus;
  current_task: string | null;
  current_order: number | null;
  /** Runs started: each new KitRunStarted adds one. */
  runs: number;
  created_at: string;
  updated_at: string;
  position: number;
}

export interface RunRow {
  run_id: string;
  kit_id: number;
  deck_id: string | null;
  source_path: string | null;
  params: Json | null;
  started_at: string | null;
  status: JobStatus;
  last_control: RunControl | null;
  position: number;
}

/** The latest stop or retry of a run; it carries its own position (a `stamped` column). */
export interface RunControl {
  action: 'stop' | 'retry';
  at: string;
  reason: string | null;
  actor: string;
  position: number;
}

export interface KitStateRow {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: JobStatus;
  current_order: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  reason: string | null;
  metadata: Json;
  position: number;
}

export interface HistoryRow {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: JobStatus;
  current_order: number;
  created_at: string;
  metadata: Json;
  event_id: string;
  position: number;
}

/** An applied event that leaves no history row, kept so a re-published copy is recognised. */
export interface FoldedEventRow {
  event_id: string;
  type: string;
  position: number;
}

/** Columns every stage-detail table shares (deck_collection, doe_step, ml_step, optimize_step). */
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
  metadata: Json;
  position: number;
}

export interface DeckCollectionRow extends StageRow {
  deck_id: string | null;
  source_path: string | null;
  row_count: number | null;
  factors: string[] | null;
  responses: string[] | null;
}

export interface DoeStepRow extends StageRow {
  data_info: Json | null;
}

export interface MlStepRow extends StageRow {
  step_name: string;
  step_order: number;
}

export type OptimizeStepRow = StageRow;

export interface DeckRow {
  deck_id: string;
  name: string;
  dataset_type: string;
  format: string;
  factors: string[];
  responses: string[];
  row_count: number;
  statistics: Json;
  ground_truth: string | null;
  ingested_at: string;
  position: number;
}

export interface ModelRow {
  model_id: string;
  model_version: number;
  kit_id: number;
  run_id: string;
  algorithm: string;
  deck_id: string;
  dataset_id: string;
  metrics: Json;
  r2: number;
  hyperparameters: Json | null;
  params: Json | null;
  factors: string[] | null;
  response: string | null;
  lineage: Json | null;
  artifact_digest: string | null;
  registered_at: string;
  position: number;
}

/** One line of a `JobLogged` event; append-only, keyed by (event_id, seq). */
export interface JobLogRow {
  event_id: string;
  seq: number;
  job_id: string;
  attempt: number;
  job_type: string;
  kit_id: number;
  run_id: string;
  at: string;
  level: string;
  task: string | null;
  message: string;
  position: number;
}

/** The upserted tables, by name, with their row types. */
export interface UpsertRows {
  kits: KitRow;
  runs: RunRow;
  kit_state: KitStateRow;
  deck_collection: DeckCollectionRow;
  doe_step: DoeStepRow;
  ml_step: MlStepRow;
  optimize_step: OptimizeStepRow;
  decks: DeckRow;
  models: ModelRow;
}
export type UpsertTable = keyof UpsertRows;
