import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

// BIGINT (int8) columns hold event positions; they fit a JS number for the next few centuries.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseOptions {
  readonly url: string;
  readonly poolMax?: number;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** Told when an idle pooled connection fails (it is discarded either way). */
  readonly onIdleError?: (error: Error) => void;
}

/** A kysely instance over a pg pool. Close it with `db.destroy()`. */
export function createDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(options) }) });
}

/** A raw pg pool with Vista's settings (for the few places that need a dedicated client). */
export function createPool(options: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'vista',
    idleTimeoutMillis: 30_000,
  });
  // An idle client that Postgres drops (restart, failover) emits 'error' on the pool; unhandled, that
  // would end the process. The pool discards the client and the next query opens a new one.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}
