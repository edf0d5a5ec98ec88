import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '@vista/db';
import { AUTH_SCHEMA } from '../config/auth.config.js';

export interface RefreshTokenRow {
  readonly sessionId: string;
  readonly userId: string;
  readonly expiresAt: Date;
  readonly rotatedAt: Date | null;
}

/** Password hashes, refresh-token hashes and SSO logins under way (secrets stay out of the event log). */
@Injectable()
export class AuthSecretsRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  private get t() {
    return {
      credentials: sql.id(AUTH_SCHEMA, 'credentials'),
      refresh: sql.id(AUTH_SCHEMA, 'refresh_tokens'),
      sso: sql.id(AUTH_SCHEMA, 'sso_logins'),
    };
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await sql`insert into ${this.t.credentials} (user_id, password_hash) values (${userId}, ${passwordHash})
      on conflict (user_id) do update set password_hash = excluded.password_hash, updated_at = now()`.execute(this.db);
  }

  async passwordHash(userId: string): Promise<string | undefined> {
    const { rows } = await sql<{ password_hash: string }>`select password_hash from ${this.t.credentials} where user_id = ${userId}`.execute(this.db);
    return rows[0]?.password_hash;
  }

  async addRefreshToken(tokenHash: string, sessionId: string, userId: string, expiresAt: Date): Promise<void> {
    await sql`insert into ${this.t.refresh} (token_hash, session_id, user_id, expires_at) values (${tokenHash}, ${sessionId}, ${userId}, ${expiresAt})`.execute(
      this.db,
    );
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const { rows } = await sql<{ session_id: string; user_id: string; expires_at: Date; rotated_at: Date | null }>`
      select session_id, user_id, expires_at, rotated_at from ${this.t.refresh} where token_hash = ${tokenHash}`.execute(this.db);
    const row = rows[0];
    return row && { sessionId: row.session_id, userId: row.user_id, expiresAt: row.expires_at, rotatedAt: row.rotated_at };
  }

  /** Marks a refresh token used; false when it already was (two refreshes raced, or a reuse). */
  async rotate(tokenHash: string): Promise<boolean> {
    const result = await sql`update ${this.t.refresh} set rotated_at = now() where token_hash = ${tokenHash} and rotated_at is null`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  async saveSsoLogin(state: string, codeVerifier: string, nonce: string, redirectUri: string): Promise<void> {
    await sql`insert into ${this.t.sso} (state, code_verifier, nonce, redirect_uri) values (${state}, ${codeVerifier}, ${nonce}, ${redirectUri})`.execute(
      this.db,
    );
    // Logins never completed are forgotten after an hour.
    await sql`delete from ${this.t.sso} where created_at < now() - interval '1 hour'`.execute(this.db);
  }

  /** Takes (and forgets) an SSO login under way: each state completes once. */
  async takeSsoLogin(state: string): Promise<{ codeVerifier: string; nonce: string; redirectUri: string } | undefined> {
    const { rows } = await sql<{ code_verifier: string; nonce: string; redirect_uri: string }>`
      delete from ${this.t.sso} where state = ${state} and created_at > now() - interval '15 minutes' returning code_verifier, nonce, redirect_uri`.execute(
      this.db,
    );
    return rows[0] && { codeVerifier: rows[0].code_verifier, nonce: rows[0].nonce, redirectUri: rows[0].redirect_uri };
  }
}
