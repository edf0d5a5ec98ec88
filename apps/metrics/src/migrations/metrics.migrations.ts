import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { eventStoreMigrations } from '@vista/event-store';

/** The metrics schema: its event log (and the outbox relay's checkpoint), then the latency collections. */
export const metricsMigrations = (schema: string): MigrationSet => ({
  ...eventStoreMigrations(schema),
  '2026-12-03T06:50_latency-metrics': {
    async up(db: Kysely<any>) {
      // Every attempt, succeeded or failed, with its reason: /health and the failure history read it.
      await sql`
        create table ${sql.id(schema, 'collections')} (
          collection_id uuid primary key,
          trigger text not null check (trigger in ('schedule', 'manual')),
          status text not null check (status in ('succeeded', 'failed')),
          prometheus_url text not null,
          metric_name text not null,
          "window" text not null,
          at timestamptz not null,
          reason text,
          model_count integer not null default 0
        )`.execute(db);
      await sql`create index collections_at on ${sql.id(schema, 'collections')} (at desc)`.execute(db);
      // One scheduled tick is collected once, however many replicas fire it.
      await sql`create table ${sql.id(schema, 'schedule_slots')} (slot timestamptz primary key, claimed_at timestamptz not null default now())`.execute(db);
      await sql`
        create table ${sql.id(schema, 'snapshots')} (
          collection_id uuid not null references ${sql.id(schema, 'collections')} (collection_id),
          model_id text not null,
          model_name text not null,
          p50_ms double precision,
          p95_ms double precision,
          p99_ms double precision,
          collected_at timestamptz not null,
          primary key (collection_id, model_id)
        )`.execute(db);
      await sql`create index snapshots_collected_at on ${sql.id(schema, 'snapshots')} (collected_at, model_name)`.execute(db);
      // The last good values per model: what `/` and `/p95` answer, kept when a collection fails.
      await sql`
        create table ${sql.id(schema, 'latest')} (
          model_id text primary key,
          model_name text not null,
          p50_ms double precision,
          p95_ms double precision,
          p99_ms double precision,
          collected_at timestamptz not null,
          metric_name text not null,
          "window" text not null,
          collection_id uuid not null
        )`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const table of ['latest', 'snapshots', 'schedule_slots', 'collections']) await sql`drop table ${sql.id(schema, table)}`.execute(db);
    },
  },
});
