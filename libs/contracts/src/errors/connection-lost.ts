/**
 * Recognises the errors a lost or refused database connection produces (a failover, a restart, an
 * administrator terminating backends, Postgres not running), as opposed to a bug or a bad statement.
 * Such a failure says nothing about the request: the same work may succeed once the connection is back.
 */

/** SQLSTATE classes and codes of a connection that went away: 08xxx, and 57P01/57P02/57P03 (shutdown, crash, cannot connect now). */
const LOST_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
/** Socket-level failures of a connection (or of opening one). */
const LOST_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ECONNABORTED']);
/** node-postgres reports these without a code. */
const LOST_MESSAGES = [
  /^Connection terminated/,
  /connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /^Connection ended unexpectedly/,
  /the database system is (shutting down|starting up|in recovery mode)/,
  /terminating connection due to administrator command/,
];

/** Seconds a client is told to wait (`Retry-After`) while the database is unreachable. */
export const CONNECTION_LOST_RETRY_AFTER_S = 2;

/** True when `error` (or any error in its `cause` chain, or an AggregateError's parts) is a lost or refused database connection. */
export function isConnectionLost(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const { code, message, cause, errors } = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (LOST_SQLSTATES.has(code) || code.startsWith('08') || LOST_ERRNOS.has(code))) return true;
    if (typeof message === 'string' && LOST_MESSAGES.some((pattern) => pattern.test(message))) return true;
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}
