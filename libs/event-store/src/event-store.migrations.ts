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
  /**
   * Every service's log takes its positions from one sequence (`public.vista_global_position`), so a
   * position orders events across services and the read model can version its rows by it rather
   * than by the bus's stream sequence (which can go backwards when JetStream loses a tail). The
   * relay checkpoint also keeps the stream sequence of its last acknowledged publish, and the rewinds
   * it made when the stream was found behind it.
   */
  '2026-12-03T06:20_global-position': {
    async up(db: Kysely<any>) {
      const s = sql.id(schema);
      // Several services may migrate at once: one at a time creates or advances the sequence.
      await sql`select pg_advisory_xact_lock(hashtext('vista.global_position'))`.execute(db);
      await sql`create sequence if not exists public.vista_global_position as bigint`.execute(db);
      await sql`select setval('public.vista_global_position', greatest(
          (select last_value from public.vista_global_position),
          (select coalesce(max(global_position), 0) from ${s}.events), 1))`.execute(db);
      await sql`alter table ${s}.events alter column global_position set default nextval('public.vista_global_position')`.execute(db);
      await sql`
        alter table ${s}.outbox_checkpoint
          add column stream_seq bigint not null default 0,
          add column rewinds integer not null default 0,
          add column rewound_at timestamptz,
          add column rewound_from_seq bigint,
          add column rewound_to_seq bigint`.execute(db);
    },
    async down(db: Kysely<any>) {
      const s = sql.id(schema);
      await sql`alter table ${s}.events alter column global_position set default nextval(pg_get_serial_sequence(${`${schema}.events`}, 'global_position'))`.execute(
        db,
      );
      await sql`
        alter table ${s}.outbox_checkpoint
          drop column stream_seq, drop column rewinds, drop column rewound_at,
          drop column rewound_from_seq, drop column rewound_to_seq`.execute(db);
    },
  },
});
