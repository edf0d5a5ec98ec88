import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { stageMigrations } from '@vista/jobs';

/** The optimize schema: its event log, the runs' stop/retry marks, and each result with its full trace. */
export const optimizeMigrations = (schema: string): MigrationSet => ({
  ...stageMigrations(schema),
  '2026-11-22T00:01_results': {
    async up(db: Kysely<any>) {
      await sql`
        create table ${sql.id(schema)}.results (
          job_id uuid not null,
          attempt integer not null,
          run_id uuid not null,
          model_id uuid not null,
          result jsonb not null,
          trace jsonb not null,
          created_at timestamptz not null default now(),
          primary key (job_id, attempt)
        )`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`drop table ${sql.id(schema)}.results`.execute(db);
    },
  },
});
