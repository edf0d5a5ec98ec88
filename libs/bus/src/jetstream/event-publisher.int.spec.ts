import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type TestBus, createTestBus } from '@vista/testing';
import { doeStartedEnvelope } from '../testing/envelope.factory.js';
import { readStream } from '../testing/stream.reader.js';
import { EventPublisher, HEADER_EVENT_TYPE } from './event-publisher.js';
import { provisionStreams } from './stream-provisioner.js';

// Real NATS on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(30_000);

describe('EventPublisher (real NATS JetStream)', () => {
  let bus: TestBus;
  let publisher: EventPublisher;
  beforeEach(async () => {
    bus = await createTestBus();
    publisher = new EventPublisher(bus.js, bus.names);
  });
  afterEach(() => bus?.cleanup());

  const stored = async () =>
    (await readStream(bus, bus.names.eventsStream)).map((m) => JSON.parse(m.body) as { eventId: string; streamId: string; streamVersion: number });
  const inStream = (streamId: string, count: number) => Array.from({ length: count }, (_, i) => doeStartedEnvelope({ streamId, streamVersion: i + 1 }));

  it('stores each event once, with its type and id in headers, however often the batch is published', async () => {
    const batch = [...inStream('run-a', 3), ...inStream('run-b', 2)];

    await publisher.publishBatch(batch);
    await publisher.publishBatch(batch);
    await publisher.publishBatch(batch.slice(2));

    const messages = await readStream(bus, bus.names.eventsStream);
    expect(messages.map((m) => m.header('Nats-Msg-Id'))).toEqual(expect.arrayContaining(batch.map((e) => e.eventId)));
    expect(messages).toHaveLength(5);
    expect(messages.every((m) => m.header(HEADER_EVENT_TYPE) === 'DoeStarted')).toBe(true);
  });

  it('sends nothing after an event the broker refuses in the same stream, so a retry keeps stream order', async () => {
    const maxPayload = bus.nc.info!.max_payload;
    const [first, second, third] = inStream('run-a', 3);
    const other = inStream('run-b', 2);
    const refused = { ...second!, data: { ...second!.data, padding: 'x'.repeat(maxPayload) } };

    await expect(publisher.publishBatch([first!, refused, third!, ...other])).rejects.toThrow();

    // The other stream is not held up; the refused event's successor was never sent.
    expect((await stored()).map((e) => `${e.streamId}@${e.streamVersion}`).sort()).toEqual(['run-a@1', 'run-b@1', 'run-b@2']);

    // Once the cause is gone, the relay publishes the same batch again.
    await publisher.publishBatch([first!, second!, third!, ...other]);
    const runA = (await stored()).filter((e) => e.streamId === 'run-a');
    expect(runA.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(await stored()).toHaveLength(5);
  });

  it('provisions the events and dead-letter streams idempotently, with a duplicate window covering a relay restart', async () => {
    await provisionStreams(bus.jsm, bus.names);
    await provisionStreams(bus.jsm, bus.names);

    const events = await bus.jsm.streams.info(bus.names.eventsStream);
    expect(events.config).toMatchObject({ subjects: [bus.names.allEvents], duplicate_window: 10 * 60 * 1e9 });
    const dlq = await bus.jsm.streams.info(bus.names.deadLetterStream);
    expect(dlq.config.subjects).toEqual([bus.names.allDeadLetters]);
  });
});
