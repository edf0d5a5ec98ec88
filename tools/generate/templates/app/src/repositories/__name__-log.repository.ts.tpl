import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@vista/db';
import { __NAME___SCHEMA } from '../config/__name__.config.js';

/** The columns this repository reads from the __name__ schema. */
export interface __Name__Db {
  /** Kysely's record of the schema's applied migrations. */
  kysely_migration: { name: string; timestamp: string };
  events: { global_position: string; type: string };
}

/** What the __name__ schema holds: its applied migrations and its event log. */
@Injectable()
export class __Name__LogRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<__Name__Db>) {}

  /** Names of the applied migrations, oldest first. */
  async appliedMigrations(): Promise<string[]> {
    const rows = await this.db.withSchema(__NAME___SCHEMA).selectFrom('kysely_migration').select('name').orderBy('name').execute();
    return rows.map((row) => row.name);
  }

  /** Events appended to the service's log. */
  async eventCount(): Promise<number> {
    const row = await this.db
      .withSchema(__NAME___SCHEMA)
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
