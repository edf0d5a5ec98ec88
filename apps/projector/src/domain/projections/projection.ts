import type { DeliveredEvent, EventName, PayloadOf } from '@vista/contracts';
import type { JobLogRow, UpsertRows, UpsertTable } from '../read-model.rows.js';
import { UnfoldableEventError } from '../unfoldable-event.error.js';

/** What a projection writes through: rows merged per key by their table's rule, log lines, changed kits. */
export interface ProjectionContext {
  readonly event: DeliveredEvent<object>;
  readonly position: number;
  /** The event's `occurredAt`, canonical UTC. */
  readonly occurredAt: string;
  put<T extends UpsertTable>(table: T, row: UpsertRows[T]): void;
  log(line: JobLogRow): void;
  /** The kit's views changed (for view-changed notifications). */
  touchKit(kitId: number): void;
}

/** Folds one event, typed by its payload, into the rows it changes. */
export type Projection<P> = (payload: P, ctx: ProjectionContext) => void;

export interface EventProjection<N extends EventName = EventName> {
  readonly event: N;
  readonly project: Projection<PayloadOf<N>>;
}

export const projection = <N extends EventName>(event: N, project: Projection<PayloadOf<N>>): EventProjection<N> => ({ event, project });

const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Timestamps are stored as UTC ISO strings, so they compare as text and round-trip through Postgres. */
export function timestamp(value: unknown, event: DeliveredEvent<object>): string {
  if (typeof value === 'string' && CANONICAL_TIMESTAMP.test(value)) return value;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UnfoldableEventError(`${event.envelope.type} at ${event.position} has an unreadable timestamp ${JSON.stringify(value)}`, event.position);
  }
  return date.toISOString();
}

export function optionalTimestamp(value: unknown, event: DeliveredEvent<object>): string | null {
  return value === undefined || value === null ? null : timestamp(value, event);
}
