import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { stageMigrations } from '@vista/jobs';

/** The DOE schema: its event log, the runs' stop/retry marks, and the labelled designs it generated. */
export const doeMigrations = (schema: string): MigrationSet => ({
  ...stageMigrations(schema),
  '2026-11-22T00:01_datasets': {
    async up(db: Kysely<any>) {
      await sql`
        create table ${sql.id(schema)}.datasets (
          dataset_id uuid primary key,
          run_id uuid not null,
          job_id uuid not null,
          attempt integer not null,
          design_type text not null,
          point_count integer not null,
          data_info jsonb not null,
          content jsonb not null,
          digest text not null,
          created_at timestamptz not null default now()
        )`.execute(db);
      await sql`create index on ${sql.id(schema)}.datasets (run_id)`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`drop table ${sql.id(schema)}.datasets`.execute(db);
    },
  },
});
