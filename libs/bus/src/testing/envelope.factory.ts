import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@vista/contracts';

type Envelope = EventEnvelope<Record<string, unknown>>;

/** A valid `DoeStarted` envelope as the relay publishes it; override any part. */
export function doeStartedEnvelope(overrides: Partial<Omit<Envelope, 'data'>> & { data?: Record<string, unknown> } = {}): Envelope {
  const { data, ...rest } = overrides;
  return {
    eventId: randomUUID(),
    type: 'DoeStarted',
    schemaVersion: 1,
    streamId: `doe-run-${randomUUID()}`,
    streamVersion: 1,
    context: 'doe',
    occurredAt: new Date().toISOString(),
    metadata: { actor: 'service:test', correlationId: randomUUID() },
    ...rest,
    data: {
      kitId: 7,
      runId: randomUUID(),
      jobId: randomUUID(),
      attempt: 1,
      startedAt: new Date().toISOString(),
      ...data,
    },
  };
}

/** The JSON body of an envelope, as it travels on the bus. */
export const encodeEnvelope = (envelope: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(envelope));
