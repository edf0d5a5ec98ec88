import type {
  DeactivatedUsersTable,
  DeadLettersTable,
  DeckCollectionTable,
  DecksTable,
  DoeStepTable,
  FoldedEventsTable,
  JobLogsTable,
  KitStateTable,
  KitsTable,
  MlStepTable,
  ModelAccessTable,
  ModelsTable,
  OptimizeStepTable,
  ProjectorStatusTable,
  ProjectsTable,
  ReconcileWatermarksTable,
  RoleRequestsTable,
  StateHistoryTable,
  RunsTable,
  SetupModelsTable,
  UsersTable,
} from './tables/index.js';

/** The read schema (`read`, or `read_rebuild_<id>` during a rebuild); each table is declared in `tables/<table>.table.ts`. */
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
  reconcile_watermarks: ReconcileWatermarksTable;
  dead_letters: DeadLettersTable;
  users: UsersTable;
  role_requests: RoleRequestsTable;
  setup_models: SetupModelsTable;
  model_access: ModelAccessTable;
  deactivated_users: DeactivatedUsersTable;
  projects: ProjectsTable;
}

export type ReadModelTable = keyof ReadModelDatabase;
