/** Who did it and why: travels with every event and command. */
export interface EventMetadata {
  /** User id, service name (`service:deck`) or `anonymous`. */
  actor: string;
  /** Shared by everything one request caused. */
  correlationId: string;
  /** The event or command that caused this one. */
  causationId?: string | null;
  kitId?: number;
  runId?: string;
  jobId?: string;
  /** W3C trace context of the operation that produced the event. */
  traceparent?: string;
  tracestate?: string;
}

/** An event as it travels on the bus (JSON body of a JetStream message). */
export interface EventEnvelope<TData = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  /** The event-store stream it was appended to (`<aggregate>-<id>`) and its version there. */
  streamId: string;
  streamVersion: number;
  /** The owning service's schema (`deck`, `doe`, …). */
  context: string;
  /**
   * The event's position in the source log: one Postgres sequence shared by every service's log, so
   * it orders events across services and never goes backwards. Read models order and version their
   * rows by it (never by the bus's stream sequence). Set by the outbox relay; absent only on
   * messages published before it existed, which fall back to their stream sequence.
   */
  position?: number;
  occurredAt: string;
  metadata: EventMetadata;
  data: TData;
}

/** An envelope as delivered by the bus. */
export interface DeliveredEvent<TData = unknown> {
  readonly envelope: EventEnvelope<TData>;
  /** The event's source-log position (`envelope.position`); doubles as the read-model version. */
  readonly position: number;
  /** The JetStream stream sequence it was delivered at (transport only; can go backwards). */
  readonly sequence?: number;
}

const UUID = /^[\da-f]{8}-[\da-f]{4}-[1-8][\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/i;
const TYPE = /^[A-Z][A-Za-z0-9]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;
const NOT_AN_OBJECT = 'must be an object';
const CONTEXTS = new Set(['run', 'deck', 'doe', 'ml', 'optimize', 'auth', 'lot', 'metrics', 'lot-tracking']);

/**
 * What is wrong with an envelope, or undefined when nothing is. The envelope is Vista's own fixed
 * shape, checked field by field: on a consumer's hot path that costs a fraction of a generic
 * validator (payloads are validated with their contract's class).
 */
export function envelopeProblem(raw: unknown): string | undefined {
  if (!isObject(raw)) return 'must be a JSON object';
  const e = raw as Record<string, unknown>;
  if (!isUuid(e.eventId)) return 'eventId must be a UUID';
  if (typeof e.type !== 'string' || !TYPE.test(e.type)) return 'type must be an event type name';
  if (!isPositiveInt(e.schemaVersion)) return 'schemaVersion must be a positive integer';
  if (typeof e.streamId !== 'string' || e.streamId.length === 0 || e.streamId.length > 200) return 'streamId must be a string of 1–200 characters';
  if (!isPositiveInt(e.streamVersion)) return 'streamVersion must be a positive integer';
  if (typeof e.context !== 'string' || !CONTEXTS.has(e.context)) return `context must be one of ${[...CONTEXTS].join(', ')}`;
  if (e.position !== undefined && !isPositiveInt(e.position)) return 'position must be a positive integer';
  if (!isInstant(e.occurredAt)) return 'occurredAt must be an ISO-8601 instant';
  if (!isObject(e.data)) return 'data must be an object';
  const metadata = metadataProblem(e.metadata);
  if (metadata === undefined) return undefined;
  return metadata === NOT_AN_OBJECT ? `metadata ${metadata}` : `metadata.${metadata}`;
}

/** What is wrong with event metadata, or undefined when nothing is (checked on append and on receipt). */
export function metadataProblem(raw: unknown): string | undefined {
  if (!isObject(raw)) return NOT_AN_OBJECT;
  const m = raw as Record<string, unknown>;
  if (typeof m.actor !== 'string' || m.actor.length === 0 || m.actor.length > 200) return 'actor must be a string of 1–200 characters';
  if (!isUuid(m.correlationId)) return 'correlationId must be a UUID';
  if (m.causationId != null && !isUuid(m.causationId)) return 'causationId must be a UUID';
  if (m.kitId !== undefined && !isPositiveInt(m.kitId)) return 'kitId must be a positive integer';
  if (m.runId !== undefined && !isUuid(m.runId)) return 'runId must be a UUID';
  if (m.jobId !== undefined && !isUuid(m.jobId)) return 'jobId must be a UUID';
  if (m.traceparent !== undefined && (typeof m.traceparent !== 'string' || !TRACEPARENT.test(m.traceparent))) return 'traceparent must be W3C trace context';
  if (m.tracestate !== undefined && (typeof m.tracestate !== 'string' || m.tracestate.length > 512))
    return 'tracestate must be a string of at most 512 characters';
  return undefined;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUuid = (v: unknown): boolean => typeof v === 'string' && UUID.test(v);
const isPositiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
const isInstant = (v: unknown): boolean => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
