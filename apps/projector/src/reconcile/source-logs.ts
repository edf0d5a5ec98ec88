import { type Kysely, sql } from 'kysely';
import type { DeliveredEvent } from '@vista/contracts';
import { decodeEvent } from '@vista/bus';
import { assertIdentifier } from '@vista/db';

/** A row of a service's `events` table as the reconciler reads it. */
export interface LogEventRow {
  global_position: number;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * The service schemas that keep an event log: every schema with an `events` table and an outbox
 * relay checkpoint beside it (deck, doe, ml, optimize, auth, metrics, …).
 */
export async function sourceLogSchemas(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ schema: string }>`
    select c.table_schema as schema from information_schema.tables c
    join information_schema.tables e on e.table_schema = c.table_schema and e.table_name = 'events'
    where c.table_name = 'outbox_checkpoint'
    order by 1`.execute(db);
  return rows.map((r) => r.schema);
}

const encoder = new TextEncoder();

/**
 * A stored event as the projector folds it: the envelope the relay would publish, validated like a
 * delivered message, at its source-log position. Undefined (with the reason) when it cannot be folded.
 */
export function deliveredFromLog(schema: string, row: LogEventRow): { event?: DeliveredEvent<object>; reason?: string } {
  const envelope = {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    context: schema,
    position: Number(row.global_position),
    occurredAt: new Date(row.occurred_at).toISOString(),
    metadata: row.metadata,
    data: row.data,
  };
  const decoded = decodeEvent(encoder.encode(JSON.stringify(envelope)), 0);
  if (!decoded.ok) return { reason: decoded.reason };
  const { sequence: _sequence, ...event } = decoded.event;
  return { event };
}

/** Every event of every service log, in position order, in pages (for a full comparison). */
export async function* readAllLogs(db: Kysely<any>, schemas: readonly string[], pageSize = 2_000): AsyncGenerator<{ schema: string; row: LogEventRow }[]> {
  if (schemas.length === 0) return;
  let after = 0;
  for (;;) {
    const union = sql.join(
      schemas.map((s) => sql`select ${s}::text as schema, e.* from ${sql.id(assertIdentifier(s))}.events e where e.global_position > ${after}`),
      sql` union all `,
    );
    const { rows } = await sql<LogEventRow & { schema: string }>`select * from (${union}) x order by global_position limit ${pageSize}`.execute(db);
    if (rows.length === 0) return;
    yield rows.map(({ schema, ...row }) => ({ schema, row: row as LogEventRow }));
    after = Number(rows[rows.length - 1]!.global_position);
    if (rows.length < pageSize) return;
  }
}
