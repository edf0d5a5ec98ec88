import { type DeliveredEvent, type EventEnvelope, envelopeProblem, findEvent, validateAs } from '@vista/contracts';

/** `ignored`: a well-formed message of a type the consumer does not handle (not validated, never dead-lettered). */
export type Decoded = { ok: true; event: DeliveredEvent<object> } | { ok: false; reason: string; type?: string; ignored?: true };

const decoder = new TextDecoder();

/**
 * Parses and validates a bus message: envelope shape, a known event type, a valid payload (the
 * contract's class-validator class). `sequence` is the message's stream sequence. With `accepts`, an event of another type is ignored before its
 * payload is validated. Never throws.
 */
export function decodeEvent(data: Uint8Array, sequence: number, accepts?: (type: string) => boolean): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
  const type = typeof (raw as { type?: unknown })?.type === 'string' ? (raw as { type: string }).type : undefined;
  if (type !== undefined && accepts && !accepts(type)) return { ok: false, reason: `${type} is not handled here`, type, ignored: true };
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
    // Ordered by the source log's position; the stream sequence only for envelopes that predate it.
    return { ok: true, event: { envelope: { ...envelope, data: payload }, position: envelope.position ?? sequence, sequence } };
  } catch (error) {
    return { ok: false, reason: (error as Error).message, type };
  }
}
