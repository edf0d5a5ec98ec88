import type { EventEnvelope, EventMetadata } from '@vista/contracts';

/** A row of a service's `events` table. */
export interface StoredEvent {
  readonly globalPosition: number;
  readonly transactionId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
}

/** The bus envelope of a stored event; `context` is the owning service's schema. */
export function toEnvelope(event: StoredEvent, context: string): EventEnvelope<Record<string, unknown>> {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    context,
    position: event.globalPosition,
    occurredAt: event.occurredAt.toISOString(),
    metadata: event.metadata,
    data: event.data,
  };
}

export interface StoredEventRow {
  global_position: number;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  occurred_at: Date;
}

export const fromRow = (row: StoredEventRow): StoredEvent => ({
  globalPosition: row.global_position,
  transactionId: row.transaction_id,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  occurredAt: row.occurred_at,
});
