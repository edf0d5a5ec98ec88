import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { eventStoreMigrations } from '@vista/event-store';

/**
 * The lot-tracking schema: its event log (and the outbox relay's checkpoint), the lot rows folded
 * from it (written in the same transaction as their events), and the daily batch's record.
 */
export const lotTrackingMigrations = (schema: string): MigrationSet => ({
  ...eventStoreMigrations(schema),
  '2026-12-03T09:00_lot-rows-and-batches': {
    async up(db: Kysely<any>) {
      const t = (name: string) => sql.id(schema, name);
      await sql`
        create table ${t('lot_rows')} (
          row_id uuid primary key,
          lot_id text not null,
          product text not null,
          process_step text not null,
          equipment text not null,
          wafer_count integer not null,
          setup_model_id uuid not null,
          factors jsonb not null,
          note text,
          status text not null check (status in ('active', 'retired')),
          version integer not null,
          created_by text not null,
          created_at timestamptz not null,
          updated_by text not null,
          updated_at timestamptz not null,
          retired_reason text,
          seq bigint generated always as identity
        )`.execute(db);
      // The same lot at the same step for the same model is one active row (a duplicate is a 409).
      await sql`create unique index lot_rows_active_key on ${t('lot_rows')} (lot_id, process_step, setup_model_id) where status = 'active'`.execute(db);
      await sql`create index lot_rows_model on ${t('lot_rows')} (setup_model_id, seq)`.execute(db);
      await sql`create index lot_rows_seq on ${t('lot_rows')} (seq)`.execute(db);

      // Every attempt of the daily batch, whatever its outcome; at most one runs per date.
      await sql`
        create table ${t('batch_attempts')} (
          attempt_id uuid primary key,
          business_date date not null,
          trigger text not null check (trigger in ('schedule', 'manual', 'api')),
          actor text not null,
          status text not null check (status in ('running', 'succeeded', 'unchanged', 'failed')),
          digest text,
          started_at timestamptz not null,
          finished_at timestamptz,
          heartbeat_at timestamptz not null,
          total_rows integer not null default 0,
          predicted_rows integer not null default 0,
          skipped_rows integer not null default 0,
          models jsonb not null default '{}',
          reason text
        )`.execute(db);
      await sql`create unique index batch_attempts_one_running on ${t('batch_attempts')} (business_date) where status = 'running'`.execute(db);
      await sql`create index batch_attempts_started on ${t('batch_attempts')} (started_at desc, attempt_id desc)`.execute(db);
      await sql`create index batch_attempts_date on ${t('batch_attempts')} (business_date, started_at desc)`.execute(db);

      // Results are written under their attempt and invisible until the attempt is published.
      await sql`
        create table ${t('batch_results')} (
          attempt_id uuid not null references ${t('batch_attempts')} (attempt_id) on delete cascade,
          row_id uuid not null,
          row_version integer not null,
          lot_id text not null,
          product text not null,
          process_step text not null,
          equipment text not null,
          wafer_count integer not null,
          setup_model_id uuid not null,
          registry_model_id uuid not null,
          model_version integer not null,
          response text not null,
          factors jsonb not null,
          prediction double precision not null,
          primary key (attempt_id, row_id)
        )`.execute(db);
      await sql`create index batch_results_model on ${t('batch_results')} (attempt_id, setup_model_id, row_id)`.execute(db);

      // The one switch per date: which attempt's results the date shows (all of them, or none).
      await sql`
        create table ${t('batch_dates')} (
          business_date date primary key,
          current_attempt_id uuid not null references ${t('batch_attempts')} (attempt_id),
          digest text not null,
          published_at timestamptz not null
        )`.execute(db);

      // One scheduled tick is run once, however many replicas fire it.
      await sql`create table ${t('schedule_slots')} (slot timestamptz primary key, claimed_at timestamptz not null default now())`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const table of ['schedule_slots', 'batch_dates', 'batch_results', 'batch_attempts', 'lot_rows'])
        await sql`drop table ${sql.id(schema, table)}`.execute(db);
    },
  },
});
