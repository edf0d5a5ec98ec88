import type {
  DeactivatedUserRow,
  DeckCollectionRow,
  DeckRow,
  DoeStepRow,
  KitRow,
  KitStateRow,
  MlStepRow,
  ModelAccessRow,
  ModelRow,
  OptimizeStepRow,
  ProjectRow,
  RoleRequestRow,
  RunRow,
  SetupModelRow,
  UserRow,
} from '@vista/read-model';

/** Rows of the read model as the fold produces them; each is declared with its table in libs/read-model. */
export type {
  DeactivatedUserRow,
  DeckCollectionRow,
  DeckRow,
  DoeStepRow,
  FoldedEventRow,
  HistoryRow,
  JobLogRow,
  JsonObject as Json,
  KitRow,
  KitStateRow,
  MlStepRow,
  ModelAccessRow,
  ModelRow,
  OptimizeStepRow,
  ProjectRow,
  RoleRequestRow,
  RunControl,
  RunRow,
  SetupModelRow,
  StageRow,
  UserRow,
} from '@vista/read-model';

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
  users: UserRow;
  role_requests: RoleRequestRow;
  setup_models: SetupModelRow;
  model_access: ModelAccessRow;
  deactivated_users: DeactivatedUserRow;
  projects: ProjectRow;
}
export type UpsertTable = keyof UpsertRows;
