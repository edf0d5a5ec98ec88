/**
 * Row types of the `read` schema as the gateway reads them (the projector owns and migrates the
 * tables; see READ_MODEL in docs). bigint positions arrive as numbers (libs/db's type parser),
 * jsonb as parsed values, timestamptz as Date.
 */
export const READ_SCHEMA = 'read';

export interface KitsTable {
  kit_id: number;
  last_run_id: string | null;
  status: string;
  current_task: string | null;
  current_order: number | null;
  runs: number;
  created_at: Date;
  updated_at: Date;
  position: number;
}

export interface RunsTable {
  run_id: string;
  kit_id: number;
  deck_id: string | null;
  source_path: string | null;
  params: unknown;
  started_at: Date | null;
  status: string;
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
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  reason: string | null;
  metadata: unknown;
  position: number;
}

export interface StateHistoryTable {
  id: number;
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: string;
  current_order: number;
  created_at: Date;
  metadata: unknown;
  event_id: string;
  position: number;
}

export interface DeckCollectionTable {
  job_id: string;
  run_id: string;
  kit_id: number;
  attempt: number;
  status: string;
  deck_id: string | null;
  source_path: string | null;
  row_count: number | null;
  factors: unknown;
  responses: unknown;
  reason: string | null;
  requested_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  timeout_ms: number | null;
  created_at: Date;
  updated_at: Date;
  metadata: unknown;
  position: number;
}

/**
 * The DOE, ML and optimize detail tables: only the columns the gateway relies on are named; the
 * rest of each row is passed through (camelCased) as the stage services fill them.
 */
export interface StageStepTable {
  job_id: string;
  run_id: string;
  kit_id: number;
  status: string;
  position: number;
}

export interface DecksTable {
  deck_id: string;
  name: string;
  dataset_type: string;
  format: string;
  factors: unknown;
  responses: unknown;
  row_count: number;
  statistics: unknown;
  ground_truth: string | null;
  ingested_at: Date;
  position: number;
}

export interface ProjectorStatusTable {
  projector: string;
  position: number;
  applied_events: number;
  lag_events: number;
  lag_seconds: number;
  heartbeat_at: Date | null;
  updated_at: Date;
}

export interface ReadDatabase {
  kits: KitsTable;
  runs: RunsTable;
  kit_state: KitStateTable;
  state_history: StateHistoryTable;
  deck_collection: DeckCollectionTable;
  doe_step: StageStepTable;
  ml_step: StageStepTable;
  optimize_step: StageStepTable;
  decks: DecksTable;
  projector_status: ProjectorStatusTable;
}
