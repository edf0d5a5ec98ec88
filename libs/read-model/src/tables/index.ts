import { deactivatedUsersTable } from './deactivated-users.table.js';
import { deadLettersTable } from './dead-letters.table.js';
import { deckCollectionTable } from './deck-collection.table.js';
import { decksTable } from './decks.table.js';
import { doeStepTable } from './doe-step.table.js';
import { foldedEventsTable } from './folded-events.table.js';
import { jobLogsTable } from './job-logs.table.js';
import { kitStateTable } from './kit-state.table.js';
import { kitsTable } from './kits.table.js';
import { mlStepTable } from './ml-step.table.js';
import { modelAccessTable } from './model-access.table.js';
import { modelsTable } from './models.table.js';
import { optimizeStepTable } from './optimize-step.table.js';
import { projectorStatusTable } from './projector-status.table.js';
import { projectsTable } from './projects.table.js';
import { reconcileWatermarksTable } from './reconcile-watermarks.table.js';
import { roleRequestsTable } from './role-requests.table.js';
import { runsTable } from './runs.table.js';
import { setupModelsTable } from './setup-models.table.js';
import { stateHistoryTable } from './state-history.table.js';
import type { TableDeclaration } from './table.js';
import { usersTable } from './users.table.js';

export * from './deactivated-users.table.js';
export * from './dead-letters.table.js';
export * from './deck-collection.table.js';
export * from './decks.table.js';
export * from './doe-step.table.js';
export * from './folded-events.table.js';
export * from './job-logs.table.js';
export * from './kit-state.table.js';
export * from './kits.table.js';
export * from './merge-rule.js';
export * from './migration-names.js';
export * from './ml-step.table.js';
export * from './model-access.table.js';
export * from './models.table.js';
export * from './optimize-step.table.js';
export * from './projector-status.table.js';
export * from './projects.table.js';
export * from './reconcile-watermarks.table.js';
export * from './role-requests.table.js';
export * from './runs.table.js';
export * from './setup-models.table.js';
export * from './stage-columns.js';
export * from './state-history.table.js';
export * from './table.js';
export * from './users.table.js';

/** Every `read` table, in creation order (dropped in reverse). */
export const READ_MODEL_TABLES: readonly TableDeclaration<any>[] = [
  kitsTable,
  runsTable,
  kitStateTable,
  stateHistoryTable,
  foldedEventsTable,
  deckCollectionTable,
  doeStepTable,
  mlStepTable,
  optimizeStepTable,
  decksTable,
  modelsTable,
  projectorStatusTable,
  jobLogsTable,
  reconcileWatermarksTable,
  deadLettersTable,
  usersTable,
  roleRequestsTable,
  setupModelsTable,
  modelAccessTable,
  deactivatedUsersTable,
  projectsTable,
];

/** The tables the projector upserts (by merge rule), with their row types. */
export const UPSERTED_TABLES = {
  kits: kitsTable,
  runs: runsTable,
  kit_state: kitStateTable,
  deck_collection: deckCollectionTable,
  doe_step: doeStepTable,
  ml_step: mlStepTable,
  optimize_step: optimizeStepTable,
  decks: decksTable,
  models: modelsTable,
  users: usersTable,
  role_requests: roleRequestsTable,
  setup_models: setupModelsTable,
  model_access: modelAccessTable,
  deactivated_users: deactivatedUsersTable,
  projects: projectsTable,
} as const;
