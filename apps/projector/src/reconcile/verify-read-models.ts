import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { assertIdentifier } from '@vista/db';
import { InMemoryReadModel, type ReadModelSnapshot } from '../domain/in-memory-read-model.js';
import { readSnapshot } from '../repositories/read-model.snapshot.js';
import { deliveredFromLog, readAllLogs, sourceLogSchemas } from './source-logs.js';

export interface TableDifference {
  readonly table: string;
  /** Rows the fold of the logs has and the read model lacks (or holds differently). */
  readonly missing: number;
  /** Rows the read model has that the fold does not (or holds differently). */
  readonly extra: number;
  /** A few keys of differing rows, to start looking. */
  readonly examples: string[];
}

export interface ReadModelVerdict {
  /** FOLD: the read model equals a fold of the Postgres logs. */
  readonly fold: boolean;
  /** NODUP: the projector counted each event once (applied = distinct events it marked). */
  readonly noDuplicates: boolean;
  readonly events: number;
  readonly schemas: string[];
  /** Events of the logs that cannot be folded (invalid), left out of the fold. */
  readonly unfoldable: number;
  readonly appliedEvents: number;
  readonly markedEvents: number;
  readonly differences: TableDifference[];
}

/**
 * Folds every service's Postgres log in position order in memory, exactly as the projector folds
 * what it is delivered, and compares the result table by table with the read schema.
 */
export async function verifyReadModels(db: Kysely<any>, readSchema: string): Promise<ReadModelVerdict> {
  assertIdentifier(readSchema);
  const schemas = await sourceLogSchemas(db);
  const model = new InMemoryReadModel();
  let events = 0;
  let unfoldable = 0;
  for await (const page of readAllLogs(db, schemas)) {
    const batch = [];
    for (const { schema, row } of page) {
      const { event } = deliveredFromLog(schema, row);
      if (event) batch.push(event);
      else unfoldable++;
    }
    events += page.length;
    model.apply(batch);
  }
  const expected = model.snapshot();
  const actual = await readSnapshot(db, readSchema);
  const differences: TableDifference[] = [];
  for (const table of Object.keys(expected) as (keyof ReadModelSnapshot)[]) {
    const want = new Map((expected[table] as object[]).map((row) => [canonical(row), row]));
    const have = new Map((actual[table] as object[]).map((row) => [canonical(row), row]));
    const missing = [...want.keys()].filter((k) => !have.has(k));
    const extra = [...have.keys()].filter((k) => !want.has(k));
    if (missing.length > 0 || extra.length > 0) {
      differences.push({ table, missing: missing.length, extra: extra.length, examples: [...missing, ...extra].slice(0, 3).map((k) => k.slice(0, 300)) });
    }
  }
  const s = sql.id(readSchema);
  const { rows } = await sql<{ applied: number; marked: number }>`
    select (select coalesce(sum(applied_events), 0) from ${s}.projector_status)::bigint as applied,
           ((select count(*) from ${s}.state_history) + (select count(*) from ${s}.folded_events))::bigint as marked`.execute(db);
  const appliedEvents = Number(rows[0]?.applied ?? 0);
  const markedEvents = Number(rows[0]?.marked ?? 0);
  return {
    fold: differences.length === 0,
    noDuplicates: appliedEvents === markedEvents,
    events,
    schemas,
    unfoldable,
    appliedEvents,
    markedEvents,
    differences,
  };
}

/** A row as a string with its keys sorted (JSON columns too), so equal rows compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
