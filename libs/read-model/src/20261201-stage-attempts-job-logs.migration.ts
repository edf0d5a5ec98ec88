import type { Migration } from 'kysely';
import { readModelMigration } from './read-model.migrations.js';
import { STAGE_ATTEMPTS } from './tables/index.js';

/**
 * Retries keep their history, jobs keep their logs, models their lineage: stage rows keyed by
 * attempt, `job_logs`, the models' new columns and `runs.last_control` (each in its table's file).
 */
export const stageAttemptsAndJobLogs = (schema: string): Migration => readModelMigration(STAGE_ATTEMPTS, schema);
