import { UPSERTED_TABLES, type MergeRule } from '@vista/read-model';
import type { UpsertRows, UpsertTable } from './read-model.rows.js';

export { columnsOf, keyOf, type MergeRule, mergeInto, mergeRow, newerStamp } from '@vista/read-model';

/** Each upserted table's merge rule, as its declaration in libs/read-model states it. */
export const MERGE_RULES = Object.fromEntries(Object.entries(UPSERTED_TABLES).map(([name, table]) => [name, table.merge!])) as {
  readonly [T in UpsertTable]: MergeRule<UpsertRows[T]>;
};
