import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely';

/**
 * Keyed commands and their first result. The primary key is what makes a command run once: a
 * concurrent duplicate blocks on it until the first commits, then reads the stored result.
 */
export const idempotentCommandsMigration = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    await sql`
      create table ${sql.id(schema)}.idempotent_commands (
        scope text not null,
        route text not null,
        idempotency_key text not null,
        request_digest text not null,
        command text not null,
        result jsonb not null,
        created_at timestamptz not null default now(),
        primary key (scope, route, idempotency_key)
      )`.execute(db);
    await sql`create index idempotent_commands_created_at on ${sql.id(schema)}.idempotent_commands (created_at)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table ${sql.id(schema)}.idempotent_commands`.execute(db);
  },
});
