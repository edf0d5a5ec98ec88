import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

// BIGINT (int8) columns hold event positions; they fit a JS number for the next few centuries.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseOptions {
  readonly url: string;
  readonly poolMax?: number;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
}

/** A kysely instance over a pg pool. Close it with `db.destroy()`. */
export function createDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(options) }) });
}

/** A raw pg pool with Vista's settings (for the few places that need a dedicated client). */
export function createPool(options: DatabaseOptions): pg.Pool {
  return new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'vista',
    idleTimeoutMillis: 30_000,
  });
}
