import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { EventEnvelope } from '@vista/contracts';
import { waitFor } from '@vista/testing';
import type { RelayRewind, StreamProbe } from './outbox-relay.js';
import { type EventStoreHarness, createEventStoreHarness } from './testing/event-store.harness.js';
import { doeStarted, metadataFactory } from './testing/events.factory.js';

jest.setTimeout(60_000);

/**
 * A stand-in for the events stream that can lose its tail: sequences are handed out in publish
 * order, duplicates (same event id, still held) get the stored copy's sequence.
 */
class LossyStream implements StreamProbe {
  messages: { seq: number; envelope: EventEnvelope<Record<string, unknown>> }[] = [];
  private next = 1;

  publish = async (events: EventEnvelope<Record<string, unknown>>[]) => {
    let firstSequence = 0;
    let lastSequence = 0;
    let lastEventId: string | undefined;
    for (const envelope of events) {
      if (this.messages.some((m) => m.envelope.eventId === envelope.eventId)) continue;
      const seq = this.next++;
      this.messages.push({ seq, envelope });
      firstSequence ||= seq;
      lastSequence = seq;
      lastEventId = envelope.eventId;
    }
    return { firstSequence, lastSequence, lastEventId };
  };

  /** Keeps the first `keep` messages, as a restored or truncated store does; new ones reuse the lost sequences. */
  loseTail(keep: number): void {
    this.messages = this.messages.slice(0, keep);
    this.next = keep + 1;
  }

  async bounds() {
    return { firstSequence: this.messages[0]?.seq ?? this.next, lastSequence: this.next - 1 };
  }

  async eventAt(sequence: number) {
    const held = this.messages.find((m) => m.seq === sequence)?.envelope;
    return held && { eventId: held.eventId, context: held.context };
  }

  /** The server came back after a restart. */
  reconnected = 0;
  reconnects() {
    return this.reconnected;
  }

  /** Drops the message at `seq` alone, as a damaged block can. */
  loseOne(seq: number): void {
    this.messages = this.messages.filter((m) => m.seq !== seq);
  }

  /** Another log's event, as another service's relay publishes it. */
  publishForeign(count: number): void {
    for (let i = 0; i < count; i++) {
      const seq = this.next++;
      this.messages.push({ seq, envelope: { ...this.messages[0]!.envelope, eventId: `foreign-${seq}`, context: 'elsewhere' } });
    }
  }

  async lastHeld(before: number, matches: (e: EventEnvelope<unknown>) => boolean) {
    const held = [...this.messages].reverse().find((m) => m.seq < before && matches(m.envelope));
    return held ? { sequence: held.seq, eventId: held.envelope.eventId } : { scannedTo: 1 };
  }
}

describe('OutboxRelay when the stream loses its acknowledged tail', () => {
  let h: EventStoreHarness;
  beforeEach(async () => {
    h = await createEventStoreHarness('relay_rewind', { bus: true });
  });
  afterEach(() => h?.cleanup());

  it('republishes, in order, every event after the last one the stream still holds', async () => {
    const stream = new LossyStream();
    const rewinds: RelayRewind[] = [];
    h.startRelay({ publish: stream.publish, stream, streamCheckMs: 50, reofferMs: 0, onRewind: (r) => rewinds.push(r) });
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) {
      ids.push(...(await h.store.append({ streamId: `doe-run-${i}`, expectedVersion: 0, events: [doeStarted({ kitId: i })] }, metadataFactory())).eventIds);
    }
    await waitFor(async () => stream.messages.length === 6, 'six events on the stream');

    stream.loseTail(2);
    await waitFor(async () => stream.messages.length === 6, 'the lost events published again', 10_000);

    expect(stream.messages.map((m) => m.envelope.eventId)).toEqual(ids);
    expect(stream.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rewinds).toEqual([{ schema: h.schema, fromSequence: 6, toSequence: 3, republish: 4 }]);
  });

  it('notices the loss after other logs have filled the stream up again past its last publish', async () => {
    const stream = new LossyStream();
    const rewinds: RelayRewind[] = [];
    h.startRelay({ publish: stream.publish, stream, streamCheckMs: 300, reofferMs: 0, onRewind: (r) => rewinds.push(r) });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(...(await h.store.append({ streamId: `doe-run-${i}`, expectedVersion: 0, events: [doeStarted({ kitId: i })] }, metadataFactory())).eventIds);
    }
    await waitFor(async () => stream.messages.length === 5, 'five events on the stream');

    // Restored from a copy holding two of them; before the relay looks again, others publish ten.
    stream.loseTail(2);
    stream.publishForeign(10);
    await waitFor(async () => stream.messages.length === 15, 'the lost events published again', 10_000);

    const ours = stream.messages.filter((m) => m.envelope.context === h.schema);
    expect(ours.map((m) => m.envelope.eventId)).toEqual(ids);
    expect(ours.map((m) => m.seq)).toEqual([1, 2, 13, 14, 15]);
    expect(rewinds).toEqual([{ schema: h.schema, fromSequence: 5, toSequence: 5, republish: 3 }]);
  });

  it('after a reconnect, finds a loss already hidden behind its own newer publishes', async () => {
    const stream = new LossyStream();
    const rewinds: RelayRewind[] = [];
    // No periodic look during the test: only the reconnect makes the relay check.
    h.startRelay({ publish: stream.publish, stream, streamCheckMs: 600_000, reofferMs: 0, onRewind: (r) => rewinds.push(r) });
    const append = async (i: number) =>
      (await h.store.append({ streamId: `doe-run-${i}`, expectedVersion: 0, events: [doeStarted({ kitId: i })] }, metadataFactory())).eventIds;
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(...(await append(i)));
      await waitFor(async () => stream.messages.length === i, `event ${i} on the stream`);
    }
    // The server restarts with two of them; others publish ten, then the relay publishes a sixth at 13.
    stream.loseTail(2);
    stream.publishForeign(10);
    ids.push(...(await append(6)));
    await waitFor(async () => stream.messages.length === 13, 'the sixth event on the stream');
    expect(rewinds).toEqual([]);

    stream.reconnected++;
    await waitFor(async () => stream.messages.length === 16, 'the lost events published again', 10_000);
    const ours = stream.messages.filter((m) => m.envelope.context === h.schema);
    expect(new Set(ours.map((m) => m.envelope.eventId))).toEqual(new Set(ids));
    expect(ours).toHaveLength(6);
    expect(rewinds).toEqual([{ schema: h.schema, fromSequence: 13, toSequence: 3, republish: 4 }]);
  });

  it('offers the last minutes again on a rewind, so that a hole below the last held event is filled too', async () => {
    const stream = new LossyStream();
    h.startRelay({ publish: stream.publish, stream, streamCheckMs: 50 });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(...(await h.store.append({ streamId: `doe-run-${i}`, expectedVersion: 0, events: [doeStarted({ kitId: i })] }, metadataFactory())).eventIds);
    }
    await waitFor(async () => stream.messages.length === 5, 'five events on the stream');

    stream.loseTail(3);
    stream.loseOne(2);
    await waitFor(async () => stream.messages.length === 5, 'the lost events and the hole published again', 10_000);
    expect(new Set(stream.messages.map((m) => m.envelope.eventId))).toEqual(new Set(ids));
  });
});
