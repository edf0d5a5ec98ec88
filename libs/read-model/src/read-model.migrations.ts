import { assertIdentifier, type MigrationSet } from '@vista/db';
import { createReadModel } from './20261121-create-read-model.migration.js';
import { stageAttemptsAndJobLogs } from './20261201-stage-attempts-job-logs.migration.js';

/**
 * The read model's migrations for one schema: `read` when serving, `read_rebuild_<id>` while a
 * rebuild fills fresh tables that are then swapped in.
 */
export const readModelMigrations = (schema: string): MigrationSet => {
  assertIdentifier(schema);
  return {
    '2026-11-21T00:00_create-read-model': createReadModel(schema),
    '2026-12-01T00:00_stage-attempts-job-logs': stageAttemptsAndJobLogs(schema),
  };
};
