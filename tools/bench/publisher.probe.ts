import { randomUUID } from 'node:crypto';
import { EventPublisher } from '@vista/bus';
import type { EventEnvelope } from '@vista/contracts';
import { type BenchEnvironment, benchMetadata, deckCollectionStarted } from './bench-fixtures.js';
import { type Rate, now, rateOf } from './measure.js';

export interface PublisherProbe {
  /** Every envelope of a batch on a stream of its own: fully pipelined. */
  readonly distinctStreams: Rate;
  /** Every envelope of a batch on one stream: published one after another. */
  readonly oneStream: Rate;
  readonly batchSize: number;
}

/**
 * EventPublisher.publishBatch alone, in relay-sized batches, into the raw namespace (the projector
 * never sees these): how much the per-stream ordering of a batch costs when a stream is hot.
 */
export async function probePublisher(env: BenchEnvironment, events: number, batchSize: number): Promise<PublisherProbe> {
  const publisher = new EventPublisher(env.js, env.rawNames);
  const run = async (streamOf: (i: number) => string): Promise<Rate> => {
    const envelopes = Array.from({ length: events }, (_, i) => envelope(i, streamOf(i)));
    const t0 = now();
    for (let i = 0; i < envelopes.length; i += batchSize) await publisher.publishBatch(envelopes.slice(i, i + batchSize));
    return rateOf(events, now() - t0);
  };
  const hot = `deck-run-${randomUUID()}`;
  const distinctStreams = await run(() => `deck-run-${randomUUID()}`);
  const oneStream = await run(() => hot);
  return { distinctStreams, oneStream, batchSize };
}

function envelope(i: number, streamId: string): EventEnvelope<Record<string, unknown>> {
  const event = deckCollectionStarted(i);
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    streamId,
    streamVersion: i + 1,
    context: 'deck',
    occurredAt: new Date().toISOString(),
    metadata: benchMetadata(),
    data: { ...event.data },
  };
}
