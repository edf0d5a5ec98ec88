import { sql } from 'kysely';
import { STAGE_SQL_TYPES, type StageColumns, stageMergeRule, stageMigrations, type StageRow } from './stage-columns.js';
import { defineTable, type JsonObject, type NullableJson } from './table.js';

export interface DoeStepTable extends StageColumns {
  data_info: NullableJson;
}

export interface DoeStepRow extends StageRow {
  data_info: JsonObject | null;
}

export const doeStepTable = defineTable<DoeStepRow>({
  name: 'doe_step',
  columns: { ...STAGE_SQL_TYPES, data_info: 'jsonb' },
  merge: stageMergeRule<DoeStepRow>(['job_id', 'attempt'], ['data_info']),
  migrations: stageMigrations('doe_step', {
    create: sql`job_id uuid not null, data_info jsonb`,
    key: ['job_id'],
    attemptKey: ['job_id', 'attempt'],
    task: sql`'doe'`,
    resultOf: sql`metadata -> 'DoeCompleted'`,
  }),
});
