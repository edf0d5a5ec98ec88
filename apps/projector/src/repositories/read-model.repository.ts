import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DeliveredEvent } from '@vista/contracts';
import { assertIdentifier } from '@vista/db';
import { columnsOf, keyOf, MERGE_RULES, type MergeRule } from '../domain/merge-rules.js';
import { appliedMarkers, foldEvents, type ReadModelChanges } from '../domain/read-model.fold.js';
import type { UpsertRows, UpsertTable } from '../domain/read-model.rows.js';
import { foldedEventsTable, jobLogsTable, type ReadModelDatabase, type SqlType, stateHistoryTable, UPSERTED_TABLES } from '@vista/read-model';

/** Column types of every written table, from its declaration in libs/read-model (merge rules checked there). */
const COLUMN_TYPES = Object.fromEntries(Object.entries(UPSERTED_TABLES).map(([name, table]) => [name, table.columns])) as {
  readonly [T in UpsertTable]: Readonly<Record<string, SqlType>>;
};
const HISTORY_TYPES = stateHistoryTable.columns;
const FOLDED_TYPES = foldedEventsTable.columns;
const JOB_LOG_TYPES = jobLogsTable.columns;

const UPSERT_ORDER: readonly UpsertTable[] = [
  'kits',
  'runs',
  'kit_state',
  'deck_collection',
  'doe_step',
  'ml_step',
  'optimize_step',
  'decks',
  'models',
  'users',
  'role_requests',
  'setup_models',
  'model_access',
  'deactivated_users',
  'projects',
];

const PROJECTOR = 'projector';

export interface ApplyOptions {
  /**
   * Take the shared read-model lock for the transaction, so a rebuild's swap (which takes it
   * exclusively) never interleaves with a batch of another replica.
   */
  readonly fenced?: boolean;
}

export interface AppliedBatch {
  /** Events of the batch not applied before. */
  readonly fresh: number;
  readonly changes: ReadModelChanges;
  readonly maxPosition: number;
}

export interface ProjectorStatus {
  readonly position: number;
  readonly appliedEvents: number;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly heartbeatAt: Date | null;
  readonly updatedAt: Date;
}

/**
 * Writes the read model of one schema. A batch is applied in one transaction with one multi-row
 * statement per table (rows passed as one JSON recordset), idempotently: markers say which events
 * are new, and every upsert merges by the table's rules, guarded on position.
 */
export class ReadModelRepository {
  private readonly statements: { readonly [T in UpsertTable]: (rows: UpsertRows[T][]) => RawBuilder<unknown> };

  constructor(
    private readonly db: Kysely<any>,
    readonly schema: string,
  ) {
    assertIdentifier(schema);
    this.statements = Object.fromEntries(UPSERT_ORDER.map((t) => [t, upsertStatement(schema, t)])) as never;
  }

  /** The same repository over another schema (a rebuild's fresh tables). */
  forSchema(schema: string): ReadModelRepository {
    return new ReadModelRepository(this.db, schema);
  }

  /** Applies a batch in one transaction, together with the projector's progress. */
  async apply(events: readonly DeliveredEvent<object>[], options: ApplyOptions = {}): Promise<AppliedBatch> {
    // Fold and build the statements before the transaction opens: while it is open it holds a
    // transaction id, and every outbox relay on the server waits for it (the xmin rule).
    const expected = foldEvents(events);
    const upserts = this.writeStatements(expected);
    return this.db.transaction().execute((trx) => this.applyWith(trx, events, options, { changes: expected, upserts }));
  }

  /** Applies a batch inside a transaction the caller holds. */
  async applyWith(
    trx: Kysely<any>,
    events: readonly DeliveredEvent<object>[],
    options: ApplyOptions = {},
    prepared?: { changes: ReturnType<typeof foldEvents>; upserts: RawBuilder<unknown>[] },
  ): Promise<AppliedBatch> {
    const s = sql.id(this.schema);
    const maxPosition = events.reduce((max, e) => Math.max(max, e.position), 0);
    if (options.fenced) await sql`select pg_advisory_xact_lock_shared(${readModelLockKey(this.schema)})`.execute(trx);

    const markers = appliedMarkers(events);
    const inserted = await sql<{ event_id: string }>`
      with history as (
        insert into ${s}.state_history (${columnList(HISTORY_TYPES)})
        select * from ${recordset(HISTORY_TYPES, markers.history)}
        on conflict (event_id) do nothing
        returning event_id
      ), folded as (
        insert into ${s}.folded_events (${columnList(FOLDED_TYPES)})
        select * from ${recordset(FOLDED_TYPES, markers.folded)}
        on conflict (event_id) do nothing
        returning event_id
      )
      select event_id from history union all select event_id from folded`.execute(trx);
    const fresh = new Set(inserted.rows.map((r) => r.event_id));

    // Usually every event is new and the prepared fold stands; otherwise fold only the new ones.
    const allFresh = fresh.size === events.length;
    const changes = allFresh && prepared ? prepared.changes : foldEvents(allFresh ? events : events.filter((e) => fresh.has(e.envelope.eventId)));
    const writes = allFresh && prepared ? [...prepared.upserts] : this.writeStatements(changes);

    // Every upsert and the progress in one statement (data-modifying CTEs): one round trip per batch.
    writes.push(sql`w_status as (
      update ${s}.projector_status
      set position = greatest(position, ${maxPosition}::bigint), applied_events = applied_events + ${fresh.size}, updated_at = now()
      where projector = ${PROJECTOR})`);
    await sql`with ${sql.join(writes)} select 1`.execute(trx);
    return { fresh: fresh.size, changes, maxPosition };
  }

  private writeStatements(changes: ReturnType<typeof foldEvents>): RawBuilder<unknown>[] {
    const writes: RawBuilder<unknown>[] = [];
    for (const table of UPSERT_ORDER) {
      const rows = changes.rows[table];
      if (rows.length > 0)
        writes.push(sql`${sql.id(`w_${table}`)} as (${this.statements[table](sortByKey(MERGE_RULES[table] as MergeRule<object>, rows as object[]) as never)})`);
    }
    if (changes.jobLogs.length > 0) {
      // Append-only, like the history: a line already there (same event, same index) stays as it is.
      writes.push(sql`w_job_logs as (
        insert into ${sql.id(this.schema)}.job_logs (${columnList(JOB_LOG_TYPES)})
        select * from ${recordset(JOB_LOG_TYPES, changes.jobLogs)}
        on conflict (event_id, seq) do nothing)`);
    }
    return writes;
  }

  /** Records how far behind the projector is (every heartbeat). */
  async recordHeartbeat(lagEvents: number, lagSeconds: number, at: Date): Promise<void> {
    await sql`
      update ${sql.id(this.schema)}.projector_status
      set lag_events = ${lagEvents}, lag_seconds = ${lagSeconds}, heartbeat_at = ${at}
      where projector = ${PROJECTOR}`.execute(this.db);
  }

  async status(): Promise<ProjectorStatus> {
    const row = await (this.db as Kysely<ReadModelDatabase>)
      .withSchema(this.schema)
      .selectFrom('projector_status')
      .selectAll()
      .where('projector', '=', PROJECTOR)
      .executeTakeFirstOrThrow();
    return {
      position: row.position,
      appliedEvents: row.applied_events,
      lagEvents: row.lag_events,
      lagSeconds: row.lag_seconds,
      heartbeatAt: row.heartbeat_at,
      updatedAt: row.updated_at,
    };
  }
}

/** The advisory lock that fences batches (shared) against a rebuild's swap (exclusive). */
export const readModelLockKey = (schema: string): RawBuilder<number> => sql<number>`hashtext(${`vista.read-model.${schema}`})`;

function columnList(types: Record<string, SqlType>): RawBuilder<unknown> {
  return sql.join(Object.keys(types).map((c) => sql.id(c)));
}

/**
 * `json_to_recordset($1::json) as u(col type, …)`: the whole batch of rows as one JSON parameter,
 * serialised natively and parsed by Postgres in one go, whatever the row count.
 */
function recordset<R extends object>(types: Record<string, SqlType>, rows: readonly R[]): RawBuilder<unknown> {
  const definition = Object.entries(types).map(([column, type]) => sql`${sql.id(column)} ${sql.raw(type)}`);
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as u(${sql.join(definition)})`;
}

function sortByKey<R>(rule: MergeRule<R>, rows: R[]): R[] {
  // One lock order for every writer, so two replicas' batches cannot deadlock on the same rows.
  return rows
    .map((row) => ({ key: keyOf(rule, row), row }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.row);
}

/** Builds the table's `INSERT … ON CONFLICT DO UPDATE` from its merge rule (the SQL twin of `mergeRow`). */
function upsertStatement<T extends UpsertTable>(schema: string, table: T): (rows: UpsertRows[T][]) => RawBuilder<unknown> {
  const rule = MERGE_RULES[table] as MergeRule<UpsertRows[T]>;
  const types = COLUMN_TYPES[table] as Record<string, SqlType>;
  const ruled = columnsOf(rule);
  const ordered = Object.fromEntries(ruled.map((c) => [c, types[c]!])) as Record<string, SqlType>;
  const id = (c: string) => sql.id(c);
  const t = (c: string) => sql`t.${id(c)}`;
  const x = (c: string) => sql`excluded.${id(c)}`;
  const newer = sql`t.position < excluded.position`;

  const sets: RawBuilder<unknown>[] = [];
  const changes: RawBuilder<unknown>[] = [newer];
  for (const c of rule.latest) sets.push(sql`${id(c)} = case when ${newer} then ${x(c)} else ${t(c)} end`);
  for (const c of rule.once ?? []) {
    sets.push(sql`${id(c)} = coalesce(${t(c)}, ${x(c)})`);
    changes.push(sql`(${t(c)} is null and ${x(c)} is not null)`);
  }
  for (const c of rule.earliest ?? []) {
    sets.push(sql`${id(c)} = least(${t(c)}, ${x(c)})`);
    changes.push(sql`${x(c)} < ${t(c)}`);
    changes.push(sql`(${t(c)} is null and ${x(c)} is not null)`);
  }
  for (const c of rule.merged ?? []) {
    const a = sql`coalesce(${t(c)}, '{}'::jsonb)`;
    const b = sql`coalesce(${x(c)}, '{}'::jsonb)`;
    sets.push(sql`${id(c)} = case when ${newer} then ${a} || ${b} else ${b} || ${a} end`);
    changes.push(sql`not (${a} @> ${b})`);
  }
  for (const c of rule.summed ?? []) {
    sets.push(sql`${id(c)} = ${t(c)} + ${x(c)}`);
    changes.push(sql`${x(c)} <> 0`);
  }
  for (const c of rule.stamped ?? []) {
    const wins = sql`(${x(c)} is not null and (${t(c)} is null or (${x(c)} ->> 'position')::bigint > (${t(c)} ->> 'position')::bigint))`;
    sets.push(sql`${id(c)} = case when ${wins} then ${x(c)} else ${t(c)} end`);
    changes.push(wins);
  }
  for (const c of rule.stampedEntries ?? []) {
    const a = sql`jsonb_each(coalesce(${t(c)}, '{}'::jsonb))`;
    const b = sql`jsonb_each(coalesce(${x(c)}, '{}'::jsonb))`;
    const bWins = sql`(a.value is null or (b.value ->> 'position')::bigint > (a.value ->> 'position')::bigint)`;
    sets.push(sql`${id(c)} = (
      select coalesce(jsonb_object_agg(key, case when b.value is not null and ${bWins} then b.value else a.value end), '{}'::jsonb)
      from ${a} a full join ${b} b using (key))`);
    changes.push(sql`exists (select 1 from ${b} b left join ${a} a using (key) where ${bWins})`);
  }
  sets.push(sql`position = greatest(t.position, excluded.position)`);

  const target = sql`${sql.id(schema)}.${sql.id(table)}`;
  const keys = sql.join(rule.key.map((c) => id(c)));
  return (rows) => sql`
    insert into ${target} as t (${columnList(ordered)})
    select * from ${recordset(ordered, rows)}
    on conflict (${keys}) do update set ${sql.join(sets)}
    where ${sql.join(changes, sql` or `)}`;
}
