import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';

/**
 * The `events` table of a service schema and its relay checkpoint. Appends are INSERT-only; the
 * writing transaction's id (xid8) lets the relay publish in commit-safe order (see outbox-relay.ts).
 */
export const eventStoreMigrations = (schema: string): MigrationSet => ({
  '2026-11-21T00:00_event-store': {
    async up(db: Kysely<any>) {
      const s = sql.id(schema);
      await sql`
        create table ${s}.events (
          global_position bigserial primary key,
          transaction_id xid8 not null default pg_current_xact_id(),
          stream_id text not null,
          stream_version integer not null check (stream_version > 0),
          event_id uuid not null unique,
          type text not null,
          schema_version integer not null,
          data jsonb not null,
          metadata jsonb not null,
          occurred_at timestamptz not null default now(),
          unique (stream_id, stream_version)
        )`.execute(db);
      await sql`create index events_relay_order on ${s}.events (transaction_id, global_position)`.execute(db);
      await sql`
        create table ${s}.outbox_checkpoint (
          relay text primary key,
          transaction_id xid8 not null,
          global_position bigint not null,
          updated_at timestamptz not null default now()
        )`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`drop table ${sql.id(schema)}.outbox_checkpoint`.execute(db);
      await sql`drop table ${sql.id(schema)}.events`.execute(db);
    },
  },
});
