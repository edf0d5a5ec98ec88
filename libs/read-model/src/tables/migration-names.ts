/** The read model's migrations, in order; each table declares what it does in each (`<table>.table.ts`). */
export const READ_MODEL_MIGRATIONS = [
  '2026-11-21T00:00_create-read-model',
  '2026-12-01T00:00_stage-attempts-job-logs',
  '2026-12-03T06:30_stage-results',
  '2026-12-03T06:39_owners',
  '2026-12-03T06:45_reconcile-watermarks-dead-letters',
  '2026-12-03T06:46_lean-read-model',
  '2026-12-03T07:20_identity-read-model',
  '2026-12-03T09:00_resources',
  '2026-12-03T10:10_job-list-indexes',
  '2026-12-03T15:00_kits-changed-order',
] as const;
export type ReadModelMigrationName = (typeof READ_MODEL_MIGRATIONS)[number];

export const CREATE = '2026-11-21T00:00_create-read-model' satisfies ReadModelMigrationName;
export const STAGE_ATTEMPTS = '2026-12-01T00:00_stage-attempts-job-logs' satisfies ReadModelMigrationName;
export const STAGE_RESULTS = '2026-12-03T06:30_stage-results' satisfies ReadModelMigrationName;
export const OWNERS = '2026-12-03T06:39_owners' satisfies ReadModelMigrationName;
export const RECONCILE = '2026-12-03T06:45_reconcile-watermarks-dead-letters' satisfies ReadModelMigrationName;
export const LEAN = '2026-12-03T06:46_lean-read-model' satisfies ReadModelMigrationName;
export const IDENTITY = '2026-12-03T07:20_identity-read-model' satisfies ReadModelMigrationName;
export const RESOURCES = '2026-12-03T09:00_resources' satisfies ReadModelMigrationName;
export const JOB_LIST = '2026-12-03T10:10_job-list-indexes' satisfies ReadModelMigrationName;
export const KITS_CHANGED = '2026-12-03T15:00_kits-changed-order' satisfies ReadModelMigrationName;
