import { type ColumnType, type Generated, sql } from 'kysely';
import { RECONCILE } from './migration-names.js';
import { defineTable, type NullableTimestamp, type Timestamp } from './table.js';

/**
 * A message given up on: parked by a consumer with its reason (`<ns>.dlq.>`), or reported by the
 * server after a consumer's maximum deliveries (its MAX_DELIVERIES advisory). An admin lists them
 * and replays one after a fix (`/api/v1/admin/dead-letters`). Written by the projector's recorder,
 * not by the fold.
 */
export interface DeadLettersTable {
  id: string;
  /** `consumer`: parked by the consumer; `advisory`: the server gave up after max deliveries. */
  source: 'consumer' | 'advisory';
  consumer: string;
  /** The message's sequence in the events stream. */
  stream_seq: number;
  subject: string | null;
  event_id: string | null;
  type: string | null;
  reason: string;
  deliveries: number | null;
  /** The message body as it was delivered (null when the stream no longer held it). */
  body: string | null;
  dead_lettered_at: Timestamp;
  replays: Generated<number>;
  replayed_at: NullableTimestamp;
}

export interface DeadLetterRow {
  id: string;
  source: 'consumer' | 'advisory';
  consumer: string;
  stream_seq: number;
  subject: string | null;
  event_id: string | null;
  type: string | null;
  reason: string;
  deliveries: number | null;
  body: string | null;
  dead_lettered_at: ColumnType<string>;
  replays: number;
  replayed_at: string | null;
}

export const deadLettersTable = defineTable<DeadLetterRow>({
  name: 'dead_letters',
  columns: {
    id: 'uuid',
    source: 'text',
    consumer: 'text',
    stream_seq: 'bigint',
    subject: 'text',
    event_id: 'uuid',
    type: 'text',
    reason: 'text',
    deliveries: 'integer',
    body: 'text',
    dead_lettered_at: 'timestamptz',
    replays: 'integer',
    replayed_at: 'timestamptz',
  },
  migrations: {
    [RECONCILE]: {
      up: (s) => [
        sql`
          create table ${s}.dead_letters (
            id uuid primary key,
            source text not null check (source in ('consumer', 'advisory')),
            consumer text not null,
            stream_seq bigint not null,
            subject text,
            event_id uuid,
            type text,
            reason text not null,
            deliveries integer,
            body text,
            dead_lettered_at timestamptz not null,
            replays integer not null default 0,
            replayed_at timestamptz,
            unique (consumer, stream_seq)
          )`,
        sql`create index dead_letters_newest on ${s}.dead_letters (dead_lettered_at desc, id)`,
      ],
      down: (s) => [sql`drop table ${s}.dead_letters`],
    },
  },
});
