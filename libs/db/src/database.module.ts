import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { type DatabaseOptions, createPool } from './create-database.js';

/** Injection tokens: the kysely instance and the pg pool under it. */
export const DATABASE = Symbol('DATABASE');
export const PG_POOL = Symbol('PG_POOL');

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

/** Provides one pool and one kysely instance per service process. */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: PG_POOL, useFactory: () => createPool(options) },
        { provide: DATABASE, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) },
        DatabaseLifecycle,
      ],
      exports: [DATABASE, PG_POOL],
    };
  }
}

/** Readiness check: Postgres answers a trivial query. */
export const databaseHealthCheck = (db: Kysely<any>) => ({
  name: 'postgres',
  async check() {
    await sql`select 1`.execute(db);
    return { ok: true };
  },
});
