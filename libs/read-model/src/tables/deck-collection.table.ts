import { sql } from 'kysely';
import { STAGE_SQL_TYPES, type StageColumns, stageMergeRule, stageMigrations, type StageRow } from './stage-columns.js';
import { defineTable, type NullableJson } from './table.js';

export interface DeckCollectionTable extends StageColumns {
  deck_id: string | null;
  source_path: string | null;
  row_count: number | null;
  factors: NullableJson<string[]>;
  responses: NullableJson<string[]>;
}

export interface DeckCollectionRow extends StageRow {
  deck_id: string | null;
  source_path: string | null;
  row_count: number | null;
  factors: string[] | null;
  responses: string[] | null;
}

export const deckCollectionTable = defineTable<DeckCollectionRow>({
  name: 'deck_collection',
  columns: { ...STAGE_SQL_TYPES, deck_id: 'uuid', source_path: 'text', row_count: 'integer', factors: 'jsonb', responses: 'jsonb' },
  merge: stageMergeRule<DeckCollectionRow>(['job_id', 'attempt'], ['deck_id', 'source_path', 'row_count', 'factors', 'responses']),
  migrations: stageMigrations('deck_collection', {
    create: sql`job_id uuid not null, deck_id uuid, source_path text, row_count integer, factors jsonb, responses jsonb`,
    key: ['job_id'],
    attemptKey: ['job_id', 'attempt'],
    task: sql`'deck_collection'`,
    resultOf: sql`metadata -> 'DeckCollectionCompleted'`,
  }),
});
