import { type DeliveredEvent, type EventEnvelope, findEvent, validateAs } from '@vista/contracts';

export type Decoded = { ok: true; event: DeliveredEvent<object> } | { ok: false; reason: string; type?: string };

const decoder = new TextDecoder();
const UUID = /^[\da-f]{8}-[\da-f]{4}-[1-8][\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/i;
const TYPE = /^[A-Z][A-Za-z0-9]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/**
 * Parses and validates a bus message: envelope shape, a known event type, a valid payload (the
 * contract's class-validator class). Never throws. The envelope is Vista's own fixed shape and is
 * checked field by field here: on the projector's hot path that is a fraction of the cost of the
 * generic validator, which remains the judge of every payload.
 */
export function decodeEvent(data: Uint8Array, position: number): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
  const type = typeof (raw as { type?: unknown })?.type === 'string' ? (raw as { type: string }).type : undefined;
  const problem = envelopeProblem(raw);
  if (problem) return { ok: false, reason: `event envelope is invalid: ${problem}`, type };
  const envelope = raw as EventEnvelope<unknown>;
  const definition = findEvent(envelope.type);
  if (!definition) return { ok: false, reason: `unknown event type ${envelope.type}`, type };
  if (envelope.schemaVersion !== definition.version) {
    return { ok: false, reason: `${envelope.type} schema version ${envelope.schemaVersion} is not supported (expected ${definition.version})`, type };
  }
  try {
    const payload = validateAs(definition.payload as new () => object, envelope.data, `${envelope.type} payload`);
    return { ok: true, event: { envelope: { ...envelope, data: payload }, position } };
  } catch (error) {
    return { ok: false, reason: (error as Error).message, type };
  }
}

/** What is wrong with an envelope, or undefined when nothing is. */
export function envelopeProblem(raw: unknown): string | undefined {
  if (!isObject(raw)) return 'must be a JSON object';
  const e = raw as Record<string, unknown>;
  if (!isUuid(e.eventId)) return 'eventId must be a UUID';
  if (typeof e.type !== 'string' || !TYPE.test(e.type)) return 'type must be an event type name';
  if (!isPositiveInt(e.schemaVersion)) return 'schemaVersion must be a positive integer';
  if (typeof e.streamId !== 'string' || e.streamId.length === 0 || e.streamId.length > 200) return 'streamId must be a string of 1–200 characters';
  if (!isPositiveInt(e.streamVersion)) return 'streamVersion must be a positive integer';
  if (typeof e.context !== 'string' || !CONTEXTS.has(e.context)) return `context must be one of ${[...CONTEXTS].join(', ')}`;
  if (!isInstant(e.occurredAt)) return 'occurredAt must be an ISO-8601 instant';
  if (!isObject(e.data)) return 'data must be an object';
  if (!isObject(e.metadata)) return 'metadata must be an object';
  const m = e.metadata as Record<string, unknown>;
  if (typeof m.actor !== 'string' || m.actor.length === 0 || m.actor.length > 200) return 'metadata.actor must be a string of 1–200 characters';
  if (!isUuid(m.correlationId)) return 'metadata.correlationId must be a UUID';
  if (m.causationId != null && !isUuid(m.causationId)) return 'metadata.causationId must be a UUID';
  if (m.kitId !== undefined && !isPositiveInt(m.kitId)) return 'metadata.kitId must be a positive integer';
  if (m.runId !== undefined && !isUuid(m.runId)) return 'metadata.runId must be a UUID';
  if (m.jobId !== undefined && !isUuid(m.jobId)) return 'metadata.jobId must be a UUID';
  if (m.traceparent !== undefined && (typeof m.traceparent !== 'string' || !TRACEPARENT.test(m.traceparent)))
    return 'metadata.traceparent must be W3C trace context';
  return undefined;
}

const CONTEXTS = new Set(['run', 'deck', 'doe', 'ml', 'optimize', 'auth', 'lot', 'metrics']);
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUuid = (v: unknown): boolean => typeof v === 'string' && UUID.test(v);
const isPositiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
const isInstant = (v: unknown): boolean => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
