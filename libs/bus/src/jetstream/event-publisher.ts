import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { type BusNames, type EventEnvelope, findEvent } from '@vista/contracts';

export const HEADER_EVENT_TYPE = 'Vista-Event-Type';

/** Subject of an envelope: `<ns>.evt.<context>.<kit id or key>.<Type>`, derived from its contract. */
export function subjectOf(names: BusNames, envelope: EventEnvelope<Record<string, unknown>>): string {
  const definition = findEvent(envelope.type);
  if (!definition) throw new Error(`event type ${envelope.type} is not in the catalogue`);
  const key = (definition.subjectKey as (data: object) => string | number)(envelope.data);
  return names.eventSubject(definition.context, key, envelope.type);
}

/**
 * Publishes envelopes to JetStream with `Nats-Msg-Id = eventId` so the stream drops duplicates, and
 * the producer's trace context in headers. Events of one stream (`streamId`) are sent one after
 * another, each once the previous one is stored; different streams are pipelined on the connection.
 */
export class EventPublisher {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: BusNames,
  ) {}

  /**
   * Resolves when every message is stored by the stream; rejects if any is not. When one fails,
   * nothing after it in its stream is sent: a pipelined later event could be stored while an earlier
   * one was refused (a leader change, a message too large), and the retry would then put the earlier
   * one after it. Calling again with the same batch is safe: stored messages are dropped as duplicates.
   */
  async publishBatch(envelopes: EventEnvelope<Record<string, unknown>>[]): Promise<PublishedBatch> {
    const streams = new Map<string, EventEnvelope<Record<string, unknown>>[]>();
    for (const envelope of envelopes) {
      const chain = streams.get(envelope.streamId);
      if (chain) chain.push(envelope);
      else streams.set(envelope.streamId, [envelope]);
    }
    const published: { firstSequence: number; lastSequence: number; lastEventId?: string } = { firstSequence: 0, lastSequence: 0 };
    const results = await Promise.allSettled(
      [...streams.values()].map(async (chain) => {
        for (const envelope of chain) {
          const { seq, duplicate } = await this.publish(envelope);
          if (duplicate) continue;
          if (seq > published.lastSequence) {
            published.lastSequence = seq;
            published.lastEventId = envelope.eventId;
          }
          published.firstSequence = published.firstSequence === 0 ? seq : Math.min(published.firstSequence, seq);
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return published;
  }

  private async publish(envelope: EventEnvelope<Record<string, unknown>>): Promise<{ seq: number; duplicate: boolean }> {
    const h = natsHeaders();
    h.set(HEADER_EVENT_TYPE, envelope.type);
    if (envelope.metadata.traceparent) h.set('traceparent', envelope.metadata.traceparent);
    if (envelope.metadata.tracestate) h.set('tracestate', envelope.metadata.tracestate);
    const ack = await this.js.publish(subjectOf(this.names, envelope), this.encoder.encode(JSON.stringify(envelope)), {
      msgID: envelope.eventId,
      headers: h,
    });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}

/** Lowest and highest stream sequence of the messages of a batch stored anew (0 when all were duplicates). */
export interface PublishedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  /** The event stored at `lastSequence`. */
  readonly lastEventId?: string;
}
