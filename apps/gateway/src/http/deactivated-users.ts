import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { UnauthenticatedError } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { AccessTokenVerifier } from '@vista/identity';
import { type Kysely, sql } from 'kysely';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';

/** The read table of deactivated users the gateway consults: `read.deactivated_users (user_id text primary key, deactivated_at timestamptz)`. */
export const DEACTIVATED_USERS_TABLE = 'deactivated_users';

/**
 * A deactivated user's tokens stop working before they expire: the gateway keeps the set of
 * deactivated user ids from `read.deactivated_users` (projected from `UserDeactivated` events),
 * refreshed every DEACTIVATED_USERS_REFRESH_MS, and the verifier refuses their tokens (401). While
 * the table does not exist, nobody is deactivated.
 */
@Injectable()
export class DeactivatedUsers implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DeactivatedUsers');
  private ids = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.verifier.addCheck((claims) => {
      if (this.ids.has(claims.sub)) throw new UnauthenticatedError('the access token is not valid: its user is deactivated');
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.DEACTIVATED_USERS_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Reads the set again; keeps the last one when the database does not answer. */
  async refresh(): Promise<void> {
    try {
      const { rows } = await sql<{ user_id: string }>`
        select user_id::text as user_id from read.${sql.id(DEACTIVATED_USERS_TABLE)}`.execute(this.db);
      this.ids = new Set(rows.map((r) => r.user_id));
    } catch (error) {
      // Missing table (no auth service's projection yet): nobody is deactivated.
      if ((error as { code?: string }).code === '42P01') this.ids = new Set();
      else this.logger.warn(`could not read deactivated users: ${(error as Error).message}`);
    }
  }
}
