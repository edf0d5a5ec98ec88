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
  /** Longest wait for a connection, opening one or waiting for a free one in the pool (ms; default: no bound). */
  readonly connectionTimeoutMs?: number;
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
    // No default: pg-pool counts this also while a query waits for a free client, so under load a bound
    // would fail work that only had to wait its turn.
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeoutMillis: options.connectionTimeoutMs } : {}),
  });
  // An idle client that Postgres drops (restart, failover) emits 'error' on the pool; unhandled, that
  // would end the process. The pool discards the client and the next query opens a new one.
  pool.on('error', (error) => options.onIdleError?.(error));
  // A checked-out client has no pool listener: one whose backend is terminated between two statements
  // of a transaction (or while its owner awaits something else) emits 'error' with nobody listening,
  // which ends the process. The failure reaches the owner through its next query; the client is not
  // queryable any more, so the pool discards it when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
