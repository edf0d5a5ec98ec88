import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { stageMigrations } from '@vista/jobs';

/** The ML schema: its event log, the runs' stop/retry marks, and the model registry's artifacts. */
export const mlMigrations = (schema: string): MigrationSet => ({
  ...stageMigrations(schema),
  '2026-11-22T00:01_models': {
    async up(db: Kysely<any>) {
      await sql`
        create table ${sql.id(schema)}.models (
          model_id uuid primary key,
          kit_id integer not null,
          model_version integer not null,
          run_id uuid not null,
          job_id uuid not null,
          attempt integer not null,
          algorithm text not null,
          metrics jsonb not null,
          lineage jsonb not null,
          artifact jsonb not null,
          digest text not null,
          created_at timestamptz not null default now(),
          unique (kit_id, model_version)
        )`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`drop table ${sql.id(schema)}.models`.execute(db);
    },
  },
});
