import { type Kysely, sql } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { stageMigrations } from '@vista/jobs';
import { idempotentCommandsMigration } from './20261202-idempotent-commands.migration.js';
import { kitIdsMigration } from './20261203-kit-ids.migration.js';

/** The deck schema: its event log, run controls and job queue, plus the stored decks (the table data is too large for events). */
export const deckMigrations = (schema: string): MigrationSet => ({
  ...stageMigrations(schema),
  '2026-11-21T00:01_decks': {
    async up(db: Kysely<any>) {
      await sql`
        create table ${sql.id(schema)}.decks (
          deck_id uuid primary key,
          name text not null,
          dataset_type text not null,
          format text not null,
          columns jsonb not null,
          factors jsonb not null,
          responses jsonb not null,
          row_count integer not null,
          statistics jsonb not null,
          ground_truth text,
          source text not null,
          rows jsonb not null,
          ingested_at timestamptz not null default now()
        )`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`drop table ${sql.id(schema)}.decks`.execute(db);
    },
  },
  '2026-12-02T00:01_idempotent_commands': idempotentCommandsMigration(schema),
  '2026-12-03T09:00_kit_ids': kitIdsMigration(schema),
});
