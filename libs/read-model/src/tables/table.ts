import type { ColumnType, JSONColumnType, RawBuilder } from 'kysely';
import { columnsOf, type MergeRule } from './merge-rule.js';

/** Timestamps come back as Date and go in as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
export type NullableJson<T extends object = Record<string, unknown>> = ColumnType<T | null, string | null, string | null>;
export type Json<T extends object = Record<string, unknown>> = JSONColumnType<T, string, string>;
/** A JSON object as the fold writes it. */
export type JsonObject = Record<string, unknown>;

/** Postgres types of the columns the projector writes (a batch's rows travel as one JSON recordset of these). */
export type SqlType = 'integer' | 'bigint' | 'text' | 'uuid' | 'timestamptz' | 'jsonb' | 'double precision';

/** The statements of one migration for one table; `schema` is the quoted schema identifier. */
export type TableStatements = (schema: RawBuilder<unknown>) => RawBuilder<unknown>[];

export interface TableMigration {
  readonly up: TableStatements;
  readonly down: TableStatements;
}

/**
 * One `read` table, declared in one place: its columns as the projector writes them (row type `R`,
 * SQL type of each column), how two versions of a row merge (upserted tables), and its DDL, step by
 * step, under the name of the read model's migration that runs it.
 */
export interface TableDeclaration<R> {
  readonly name: string;
  readonly columns: Readonly<Record<keyof R & string, SqlType>>;
  /** Upserted tables merge by this rule; append-only tables (history, markers, log lines) have none. */
  readonly merge?: MergeRule<R>;
  readonly migrations: Readonly<Record<string, TableMigration>>;
}

/** Declares a table; a merge rule must name every column once. */
export function defineTable<R>(table: TableDeclaration<R>): TableDeclaration<R> {
  if (table.merge) {
    const ruled = columnsOf(table.merge);
    const typed = Object.keys(table.columns);
    if (ruled.length !== typed.length || ruled.some((c) => !(c in table.columns))) {
      throw new Error(`${table.name}: merge rule columns [${ruled.join()}] do not match its columns [${typed.join()}]`);
    }
  }
  return table;
}
