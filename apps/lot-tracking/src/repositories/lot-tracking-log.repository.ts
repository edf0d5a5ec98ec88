import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@vista/db';
import { LOT_TRACKING_SCHEMA } from '../config/lot-tracking.config.js';

/** The columns this repository reads from the lot-tracking schema. */
export interface LotTrackingDb {
  /** Kysely's record of the schema's applied migrations. */
  kysely_migration: { name: string; timestamp: string };
  events: { global_position: string; type: string };
}

/** What the lot-tracking schema holds: its applied migrations and its event log. */
@Injectable()
export class LotTrackingLogRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<LotTrackingDb>) {}

  /** Names of the applied migrations, oldest first. */
  async appliedMigrations(): Promise<string[]> {
    const rows = await this.db.withSchema(LOT_TRACKING_SCHEMA).selectFrom('kysely_migration').select('name').orderBy('name').execute();
    return rows.map((row) => row.name);
  }

  /** Events appended to the service's log. */
  async eventCount(): Promise<number> {
    const row = await this.db
      .withSchema(LOT_TRACKING_SCHEMA)
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
