import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type Kysely, type Transaction, sql } from 'kysely';
import { ConflictError, type EventMetadata, type EventName, type PayloadOf, ValidationError, findEvent, validateAs } from '@vista/contracts';
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

  constructor(
    private readonly db: Kysely<any>,
    schema: string,
  ) {
    this.schema = assertIdentifier(schema);
  }

  /** Appends to one stream. A stale expected version throws ConflictError and writes nothing. */
  async append(append: AppendToStream, metadata: EventMetadata, trx?: Transaction<any>): Promise<AppendResult> {
    const rows = this.prepare(append.events, metadata);
    const result = await this.appendPrepared(trx ?? this.db, append, rows);
    if (!trx) this.signal.emit('appended');
    return result;
  }

  /** Appends to several streams in one transaction: all or nothing. */
  async appendMany(appends: readonly AppendToStream[], metadata: EventMetadata): Promise<AppendResult[]> {
    const prepared = appends.map((a) => ({ append: a, rows: this.prepare(a.events, metadata) }));
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

  /** Reads a stream in version order. */
  async readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    const { rows } = await sql<StoredEventRow>`
      select * from ${sql.id(this.schema, 'events')}
      where stream_id = ${streamId} and stream_version >= ${fromVersion}
      order by stream_version`.execute(this.db);
    return rows.map(fromRow);
  }

  /** Current version of a stream (0 when it does not exist). */
  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await sql<{ v: number | null }>`
      select max(stream_version) as v from ${sql.id(this.schema, 'events')} where stream_id = ${streamId}`.execute(this.db);
    return rows[0]?.v ?? 0;
  }

  /** Called after each committed append in this process (the relay uses it to wake up early). */
  onAppended(listener: () => void): () => void {
    this.signal.on('appended', listener);
    return () => this.signal.off('appended', listener);
  }

  private prepare(events: readonly NewEvent[], metadata: EventMetadata): PreparedRow[] {
    if (events.length === 0) throw new ValidationError('an append needs at least one event');
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
    if (!Number.isInteger(expected) || expected < 0) throw new ValidationError(`expected version must be a whole number ≥ 0, got ${expected}`);
    const table = sql.id(this.schema, 'events');
    const values = sql.join(
      rows.map(
        (row, i) =>
          sql`(${streamId}, ${expected + i + 1}::int, ${row.eventId}::uuid, ${row.type}, ${row.schemaVersion}::int, ${row.data}::jsonb, ${row.metadata}::jsonb)`,
      ),
    );
    // One statement: the stream must be exactly at `expected` (the EXISTS guard stops gaps, the
    // unique (stream_id, stream_version) index stops a concurrent writer that got there first).
    // The relay publishes in transaction-id order, so the event we append after must come from a
    // transaction no newer than ours; otherwise our event would reach the bus before its predecessor.
    const guard =
      expected === 0
        ? sql`true`
        : sql`exists (select 1 from ${table} where stream_id = ${streamId} and stream_version = ${expected} and transaction_id <= pg_current_xact_id())`;
    try {
      const result = await sql`
        insert into ${table} (stream_id, stream_version, event_id, type, schema_version, data, metadata)
        select * from (values ${values}) as v where ${guard}`.execute(db);
      if (Number(result.numAffectedRows ?? 0) !== rows.length) throw await this.explainConflict(db, streamId, expected);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const onEventId = String((error as { constraint?: string }).constraint ?? '').includes('event_id');
        throw new ConflictError(
          onEventId ? `an event with one of these ids is already stored (stream ${streamId})` : `stream ${streamId} moved past version ${expected}`,
          { cause: error },
        );
      }
      throw error;
    }
    return { streamId, nextExpectedVersion: expected + rows.length, eventIds: rows.map((r) => r.eventId) };
  }

  /** Why an append at `expected` wrote nothing: the stream is elsewhere, or a newer transaction wrote its end. */
  private async explainConflict(db: Kysely<any>, streamId: string, expected: number): Promise<ConflictError> {
    const { rows } = await sql<{ version: number | null; newer: boolean | null }>`
      select max(stream_version) as version,
             bool_or(stream_version = ${expected} and transaction_id > pg_current_xact_id_if_assigned()) as newer
      from ${sql.id(this.schema, 'events')} where stream_id = ${streamId}`.execute(db);
    const version = rows[0]?.version ?? 0;
    if (version === expected && rows[0]?.newer) {
      return new ConflictError(`stream ${streamId} was appended to by a transaction that began after this one; retry the whole transaction`);
    }
    return new ConflictError(`stream ${streamId} is at version ${version}, not ${expected}`);
  }
}

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
