import { sql } from 'kysely';
import { STAGE_SQL_TYPES, type StageColumns, stageMergeRule, stageMigrations, type StageRow } from './stage-columns.js';
import { defineTable } from './table.js';

export type OptimizeStepTable = StageColumns;
export type OptimizeStepRow = StageRow;

export const optimizeStepTable = defineTable<OptimizeStepRow>({
  name: 'optimize_step',
  columns: STAGE_SQL_TYPES,
  merge: stageMergeRule<OptimizeStepRow>(['job_id', 'attempt']),
  migrations: stageMigrations('optimize_step', {
    create: sql`job_id uuid not null`,
    key: ['job_id'],
    attemptKey: ['job_id', 'attempt'],
    task: sql`'optimize'`,
    resultOf: sql`metadata -> 'OptimizeCompleted'`,
  }),
});
