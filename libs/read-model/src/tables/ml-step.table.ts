import { sql } from 'kysely';
import { STAGE_SQL_TYPES, type StageColumns, stageMergeRule, stageMigrations, type StageRow } from './stage-columns.js';
import { defineTable } from './table.js';

export interface MlStepTable extends StageColumns {
  step_name: string;
  step_order: number;
}

export interface MlStepRow extends StageRow {
  step_name: string;
  step_order: number;
}

export const mlStepTable = defineTable<MlStepRow>({
  name: 'ml_step',
  columns: { ...STAGE_SQL_TYPES, step_name: 'text', step_order: 'integer' },
  merge: stageMergeRule<MlStepRow>(['job_id', 'attempt', 'step_name'], ['step_order']),
  migrations: stageMigrations('ml_step', {
    create: sql`job_id uuid not null, step_name text not null, step_order integer not null`,
    key: ['job_id', 'step_name'],
    attemptKey: ['job_id', 'attempt', 'step_name'],
    task: sql`step_name`,
    resultOf: sql`(case step_name
      when 'preprocess' then metadata -> 'MlPreprocessCompleted'
      when 'scaling' then metadata -> 'MlScalingCompleted'
      when 'training' then metadata -> 'MlTrainingCompleted'
      when 'test' then metadata -> 'MlTestCompleted' end)`,
  }),
});
