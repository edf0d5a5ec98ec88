import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@vista/db';
import { METRICS_SCHEMA } from '../config/metrics.config.js';

/** The columns this repository reads from the metrics schema. */
export interface MetricsDb {
  /** Kysely's record of the schema's applied migrations. */
  kysely_migration: { name: string; timestamp: string };
  events: { global_position: string; type: string };
}

/** What the metrics schema holds: its applied migrations and its event log. */
@Injectable()
export class MetricsLogRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<MetricsDb>) {}

  /** Names of the applied migrations, oldest first. */
  async appliedMigrations(): Promise<string[]> {
    const rows = await this.db.withSchema(METRICS_SCHEMA).selectFrom('kysely_migration').select('name').orderBy('name').execute();
    return rows.map((row) => row.name);
  }

  /** Events appended to the service's log. */
  async eventCount(): Promise<number> {
    const row = await this.db
      .withSchema(METRICS_SCHEMA)
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
