import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { CompiledQuery, type Kysely, type Transaction, sql } from 'kysely';
import type pg from 'pg';
import { ConflictError, type EventMetadata, type EventName, type PayloadOf, ValidationError, findEvent, metadataProblem, validateAs } from '@vista/contracts';
import { assertIdentifier } from '@vista/db';
import { type StoredEvent, type StoredEventRow, fromRow } from './stored-event.js';

/** An event to append; the payload is validated against its contract before anything is written. */
export type NewEvent<N extends EventName = EventName> = {
  [K in N]: {
    readonly type: K;
    readonly data: PayloadOf<K>;
    /** Given when the caller needs the id in advance (idempotent retries); generated otherwise. */
    readonly eventId?: string;
  };
}[N];

/**
 * `number`: the stream must be at exactly that version (0 = must not exist yet).
 * `'any'`: append after whatever is there (concurrent 'any' writers of a stream take turns).
 */
export type ExpectedVersion = number | 'any';

export interface AppendToStream {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append: pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  readonly eventIds: string[];
}

const UNIQUE_VIOLATION = '23505';
const MAX_ANY_RETRIES = 5;
/** Payload and metadata of one event, well under NATS's default 1 MiB message limit. */
export const MAX_EVENT_BYTES = 512 * 1024;

/**
 * Appends events to one service schema's `events` table with optimistic concurrency. Each append is
 * one short INSERT (one transaction for several streams; an 'any' append first waits for its turn on
 * the stream); no row is ever updated. A conflict is a ConflictError and writes nothing: a stale or
 * future expected version, a duplicate event id, or an append inside a transaction that began before
 * the stream's last event was written (its event would otherwise be relayed before that one).
 */
export class EventStore {
  private readonly signal = new EventEmitter();
  private readonly schema: string;

  private readonly insertSql: string;
  private readonly waiting: PendingAppend[] = [];
  private groupsInFlight = 0;

  /**
   * With `pool`, appends outside a caller's transaction run as a named (prepared) statement, which
   * saves Postgres planning the insert again for every append.
   */
  constructor(
    private readonly db: Kysely<any>,
    schema: string,
    private readonly pool?: pg.Pool,
    /** Statements of grouped appends running at once; more appends wait and join the next group. */
    private readonly maxGroupsInFlight = 2,
  ) {
    this.schema = assertIdentifier(schema);
    this.insertSql = appendStatement(this.schema);
  }

  /** Appends to one stream. A stale expected version throws ConflictError and writes nothing. */
  async append(append: AppendToStream, metadata: EventMetadata, trx?: Transaction<any>): Promise<AppendResult> {
    const rows = this.prepare(append.events, metadata);
    if (trx) return this.appendPrepared(trx, append, rows);
    const result =
      append.expectedVersion === 'any'
        ? await this.appendPrepared(this.db, append, rows)
        : await this.groupCommit({ streamId: append.streamId, expected: append.expectedVersion, rows });
    this.signal.emit('appended');
    return result;
  }

  /**
   * Group commit: appends that arrive while earlier statements are in flight wait and then go
   * together in one statement (one transaction, one WAL flush) instead of one commit each. Alone,
   * an append goes at once. If a group's statement fails, each of its appends is retried on its own,
   * so one conflicting append never fails another; each still returns only once committed.
   */
  private groupCommit(target: InsertTarget): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ target, resolve, reject });
      this.flushGroups();
    });
  }

  private flushGroups(): void {
    while (this.groupsInFlight < this.maxGroupsInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_GROUP_APPENDS);
      this.groupsInFlight++;
      void this.commitGroup(group).finally(() => {
        this.groupsInFlight--;
        this.flushGroups();
      });
    }
  }

  private async commitGroup(group: PendingAppend[]): Promise<void> {
    if (group.length > 1) {
      try {
        const results = await this.insertTargets(
          this.db,
          group.map((g) => g.target),
          { explain: false },
        );
        group.forEach((g, i) => g.resolve(results[i]!));
        return;
      } catch {
        // Someone in the group conflicts (or two of them append to one stream): settle one by one.
      }
    }
    await Promise.all(
      group.map(async (g) => {
        try {
          g.resolve((await this.insertTargets(this.db, [g.target]))[0]!);
        } catch (error) {
          g.reject(error);
        }
      }),
    );
  }

  /** Appends to several streams in one transaction: all or nothing. */
  async appendMany(appends: readonly AppendToStream[], metadata: EventMetadata): Promise<AppendResult[]> {
    const prepared = appends.map((a) => ({ append: a, rows: this.prepare(a.events, metadata) }));
    if (prepared.every(({ append }) => append.expectedVersion !== 'any')) {
      // One statement is atomic by itself: all streams are written, or none.
      const results = await this.insertTargets(
        this.db,
        prepared.map(({ append, rows }) => ({ streamId: append.streamId, expected: append.expectedVersion as number, rows })),
      );
      this.signal.emit('appended');
      return results;
    }
    const results = await this.db.transaction().execute(async (trx) => {
      const out: AppendResult[] = [];
      for (const { append, rows } of prepared) out.push(await this.appendPrepared(trx, append, rows));
      return out;
    });
    this.signal.emit('appended');
    return results;
  }

  /** Runs `work` in a transaction that may append (pass it the trx); wakes the relay after commit. */
  async inTransaction<T>(work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(work);
    this.signal.emit('appended');
    return result;
  }

  /**
   * Reads a stream in version order; in `trx` when given (work inside a transaction reads through it:
   * a second connection taken from the pool while the transaction holds one can wait for ever once
   * every connection is held that way).
   */
  async readStream(streamId: string, fromVersion = 1, trx?: Transaction<any>): Promise<StoredEvent[]> {
    const { rows } = await sql<StoredEventRow>`
      select * from ${sql.id(this.schema, 'events')}
      where stream_id = ${streamId} and stream_version >= ${fromVersion}
      order by stream_version`.execute(trx ?? this.db);
    return rows.map(fromRow);
  }

  /** Current version of a stream (0 when it does not exist). */
  streamVersion(streamId: string): Promise<number> {
    return this.streamVersionIn(this.db, streamId);
  }

  /** Called after each committed append in this process (the relay uses it to wake up early). */
  onAppended(listener: () => void): () => void {
    this.signal.on('appended', listener);
    return () => this.signal.off('appended', listener);
  }

  private prepare(events: readonly NewEvent[], metadata: EventMetadata): PreparedRow[] {
    if (events.length === 0) throw new ValidationError('an append needs at least one event');
    const problem = metadataProblem(metadata);
    if (problem) throw new ValidationError(`event metadata is invalid: ${problem}`, [{ path: 'metadata', message: problem }]);
    return events.map((event) => {
      const definition = findEvent(event.type);
      if (!definition) throw new ValidationError(`unknown event type ${event.type}`);
      // Validate on the way in too: an invalid event must never reach the log.
      const data = validateAs(definition.payload as new () => object, event.data, `${event.type} payload`);
      const row = {
        eventId: event.eventId ?? randomUUID(),
        type: definition.type,
        schemaVersion: definition.version,
        data: JSON.stringify(data),
        metadata: JSON.stringify(metadata),
      };
      // An event the bus refuses would stop the relay for good: everything behind it waits on it.
      const bytes = Buffer.byteLength(row.data) + Buffer.byteLength(row.metadata);
      if (bytes > MAX_EVENT_BYTES) {
        throw new ValidationError(
          `${event.type} is ${bytes} bytes; an event may carry at most ${MAX_EVENT_BYTES} (store large content elsewhere and refer to it)`,
        );
      }
      return row;
    });
  }

  private async appendPrepared(db: Kysely<any>, append: AppendToStream, rows: PreparedRow[]): Promise<AppendResult> {
    if (append.expectedVersion !== 'any') return this.insert(db, append.streamId, append.expectedVersion, rows);
    // Inside a caller's transaction a failed statement aborts it: no retry there, the caller decides.
    if (db.isTransaction) return this.appendAtEnd(db as Transaction<any>, append.streamId, rows);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute((trx) => this.appendAtEnd(trx, append.streamId, rows));
      } catch (error) {
        // 'any' writers queue on the stream lock; only a writer with an explicit version (which takes
        // no lock) can still get in between, and then the new end is taken again.
        if (!isVersionConflict(error) || attempt >= MAX_ANY_RETRIES) throw error;
      }
    }
  }

  /**
   * Appends after whatever the stream holds. Writers of one stream that do not care about its version
   * wait for each other on a transaction-scoped lock rather than failing each other (without it, n
   * concurrent writers need up to n attempts each). The two-key form keeps these locks apart from the
   * relay's single-key lock.
   */
  private async appendAtEnd(trx: Transaction<any>, streamId: string, rows: PreparedRow[]): Promise<AppendResult> {
    await sql`select pg_advisory_xact_lock(hashtext(${`${this.schema}.events`}), hashtext(${streamId}))`.execute(trx);
    const expected = await this.streamVersionIn(trx, streamId);
    return this.insert(trx, streamId, expected, rows);
  }

  private async streamVersionIn(db: Kysely<any>, streamId: string): Promise<number> {
    const { rows } = await sql<{ v: number | null }>`
      select max(stream_version) as v from ${sql.id(this.schema, 'events')} where stream_id = ${streamId}`.execute(db);
    return rows[0]?.v ?? 0;
  }

  private async insert(db: Kysely<any>, streamId: string, expected: number, rows: PreparedRow[]): Promise<AppendResult> {
    const [result] = await this.insertTargets(db, [{ streamId, expected, rows }]);
    return result!;
  }

  /**
   * One statement for any number of streams and events: every stream must be exactly at its expected
   * version (the guard stops gaps; the unique (stream_id, stream_version) index stops a concurrent
   * writer that got there first), or nothing is written. The relay publishes in transaction-id order,
   * so the event appended after must come from a transaction no newer than ours; otherwise ours would
   * reach the bus before its predecessor.
   */
  private async insertTargets(db: Kysely<any>, targets: readonly InsertTarget[], options = { explain: true }): Promise<AppendResult[]> {
    const columns: unknown[][] = [[], [], [], [], [], [], [], []];
    for (const { streamId, expected, rows } of targets) {
      if (!Number.isInteger(expected) || expected < 0) throw new ValidationError(`expected version must be a whole number ≥ 0, got ${expected}`);
      rows.forEach((row, i) => {
        columns[0]!.push(streamId);
        columns[1]!.push(expected);
        columns[2]!.push(expected + i + 1);
        columns[3]!.push(row.eventId);
        columns[4]!.push(row.type);
        columns[5]!.push(row.schemaVersion);
        columns[6]!.push(row.data);
        columns[7]!.push(row.metadata);
      });
    }
    let inserted: number;
    try {
      inserted =
        this.pool && !db.isTransaction
          ? ((await this.pool.query({ name: `vista-append-${this.schema}`, text: this.insertSql, values: columns })).rowCount ?? 0)
          : Number((await db.executeQuery(CompiledQuery.raw(this.insertSql, columns))).numAffectedRows ?? 0);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const onEventId = String((error as { constraint?: string }).constraint ?? '').includes('event_id');
        const streams = targets.map((t) => t.streamId).join(', ');
        throw new ConflictError(
          onEventId ? `an event with one of these ids is already stored (stream ${streams})` : `stream ${streams} moved past the expected version`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    if (inserted !== columns[0]!.length) {
      for (const target of options.explain ? targets : []) {
        const conflict = await this.explainConflict(db, target.streamId, target.expected);
        if (conflict) throw conflict;
      }
      throw new ConflictError(`streams ${targets.map((t) => t.streamId).join(', ')} moved while appending; retry`);
    }
    return targets.map(({ streamId, expected, rows }) => ({ streamId, nextExpectedVersion: expected + rows.length, eventIds: rows.map((r) => r.eventId) }));
  }

  /** Why an append at `expected` wrote nothing: the stream is elsewhere, or a newer transaction wrote its end. */
  private async explainConflict(db: Kysely<any>, streamId: string, expected: number): Promise<ConflictError | undefined> {
    const { rows } = await sql<{ version: number | null; newer: boolean | null }>`
      select max(stream_version) as version,
             bool_or(stream_version = ${expected} and transaction_id > pg_current_xact_id_if_assigned()) as newer
      from ${sql.id(this.schema, 'events')} where stream_id = ${streamId}`.execute(db);
    const version = rows[0]?.version ?? 0;
    if (version === expected && rows[0]?.newer) {
      return new ConflictError(`stream ${streamId} was appended to by a transaction that began after this one; retry the whole transaction`);
    }
    if (version === expected) return undefined;
    return new ConflictError(`stream ${streamId} is at version ${version}, not ${expected}`);
  }
}

/** Appends in one group commit at most (each may carry several events). */
const MAX_GROUP_APPENDS = 128;

interface PendingAppend {
  readonly target: InsertTarget;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

interface InsertTarget {
  readonly streamId: string;
  readonly expected: number;
  readonly rows: PreparedRow[];
}

/** The append statement of a schema: arrays of columns in, all rows or none out. */
const appendStatement = (schema: string): string => `
  with v as (
    select * from unnest($1::text[], $2::int[], $3::int[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[])
      with ordinality as v(stream_id, expected, stream_version, event_id, type, schema_version, data, metadata, ord)
  ), stale as (
    select 1 from v
    where v.expected > 0 and not exists (
      select 1 from ${schema}.events e
      where e.stream_id = v.stream_id and e.stream_version = v.expected and e.transaction_id <= pg_current_xact_id())
    limit 1
  )
  insert into ${schema}.events (stream_id, stream_version, event_id, type, schema_version, data, metadata)
  select stream_id, stream_version, event_id, type, schema_version, data, metadata from v
  where not exists (select 1 from stale)
  order by ord`;

interface PreparedRow {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === UNIQUE_VIOLATION;

/** A conflict on the stream's version (not on a duplicate event id, which no retry can fix). */
const isVersionConflict = (error: unknown): boolean =>
  error instanceof ConflictError && !String((error.cause as { constraint?: string } | undefined)?.constraint ?? '').includes('event_id');
