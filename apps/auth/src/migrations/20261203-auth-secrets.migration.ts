import { type Kysely, type Migration, sql } from 'kysely';

/**
 * What the auth service keeps outside its event log because it is secret or short-lived: local
 * password hashes, refresh-token hashes (never the tokens) and the PKCE verifiers of SSO logins under way.
 */
export const authSecretsMigration = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    await sql`
      create table ${sql.id(schema)}.credentials (
        user_id uuid primary key,
        password_hash text not null,
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table ${sql.id(schema)}.refresh_tokens (
        token_hash text primary key,
        session_id uuid not null,
        user_id uuid not null,
        expires_at timestamptz not null,
        rotated_at timestamptz,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index refresh_tokens_session on ${sql.id(schema)}.refresh_tokens (session_id)`.execute(db);
    await sql`
      create table ${sql.id(schema)}.sso_logins (
        state text primary key,
        code_verifier text not null,
        nonce text not null,
        redirect_uri text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table ${sql.id(schema)}.sso_logins`.execute(db);
    await sql`drop table ${sql.id(schema)}.refresh_tokens`.execute(db);
    await sql`drop table ${sql.id(schema)}.credentials`.execute(db);
  },
});
