import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { DeliveredEvent } from '@vista/contracts';
import { type TestBus, createTestBus, waitFor } from '@vista/testing';
import { doeStartedEnvelope, encodeEnvelope } from '../testing/envelope.factory.js';
import { readStream } from '../testing/stream.reader.js';
import { EventConsumer, HEADER_CONSUMER, HEADER_DEAD_LETTER_REASON, HEADER_ORIGINAL_SEQUENCE, HEADER_ORIGINAL_SUBJECT } from './event-consumer.js';
import { EventPublisher } from './event-publisher.js';
import { type HandlerResult, deadLetter, done, retry, skipped } from './handler-result.js';
import { ensureDurableConsumer } from './stream-provisioner.js';
import { useTestTracing } from '../testing/test-tracing.js';

// Real NATS on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(30_000);

const DURABLE = 'projector';
const MAX_DELIVER = 3;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('EventConsumer (real NATS JetStream)', () => {
  let bus: TestBus;
  let consumer: EventConsumer | undefined;
  let publisher: EventPublisher;
  const errors: string[] = [];

  beforeEach(async () => {
    bus = await createTestBus();
    publisher = new EventPublisher(bus.js, bus.names);
    errors.length = 0;
    await ensureDurableConsumer(bus.jsm, {
      stream: bus.names.eventsStream,
      durable: DURABLE,
      filterSubjects: [bus.names.allEvents],
      maxDeliver: MAX_DELIVER,
      backoffMs: [100, 200],
    });
    consumer = new EventConsumer(bus.js, bus.names, {
      stream: bus.names.eventsStream,
      durable: DURABLE,
      maxDeliver: MAX_DELIVER,
      retryDelaysMs: [100, 200],
      onError: (_error, message) => errors.push(message),
    });
  });
  afterEach(async () => {
    try {
      await consumer?.stop();
    } finally {
      consumer = undefined;
      await bus?.cleanup();
    }
  });

  const subject = (type = 'DoeStarted') => bus.names.eventSubject('doe', 7, type);
  const publishRaw = (body: Uint8Array | string, type?: string) => bus.js.publish(subject(type), body);
  const deadLetters = () => readStream(bus, bus.names.deadLetterStream);
  const consumerIsDrained = async () => {
    const info = await bus.jsm.consumers.info(bus.names.eventsStream, DURABLE);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  };

  it('dead-letters malformed messages with their reason and goes on with the next valid event', async () => {
    const handled: DeliveredEvent<object>[] = [];
    await consumer!.start(async (event) => {
      handled.push(event);
      return done();
    });
    const valid = [doeStartedEnvelope(), doeStartedEnvelope(), doeStartedEnvelope()];

    await publishRaw('{"eventId": oops');
    await publishRaw(encodeEnvelope(valid[0]));
    await publishRaw(encodeEnvelope(doeStartedEnvelope({ type: 'KitExploded' })), 'KitExploded');
    await publishRaw(encodeEnvelope(valid[1]));
    await publishRaw(encodeEnvelope(doeStartedEnvelope({ data: { kitId: 'seven' } })));
    await publishRaw(encodeEnvelope(valid[2]));

    await waitFor(async () => handled.length === 3 && (await deadLetters()).length === 3, 'three handled and three dead letters', 10_000);
    expect(handled.map((e) => e.envelope.eventId)).toEqual(valid.map((e) => e.eventId));
    expect(handled.map((e) => e.position)).toEqual([2, 4, 6]);

    const dlq = await deadLetters();
    expect(dlq.map((m) => [m.subject, m.header(HEADER_ORIGINAL_SEQUENCE)])).toEqual([
      [`${bus.namespace}.dlq.${DURABLE}.unknown`, '1'],
      [`${bus.namespace}.dlq.${DURABLE}.KitExploded`, '3'],
      [`${bus.namespace}.dlq.${DURABLE}.DoeStarted`, '5'],
    ]);
    expect(dlq[0]!.header(HEADER_DEAD_LETTER_REASON)).toMatch(/^body is not JSON/);
    expect(dlq[1]!.header(HEADER_DEAD_LETTER_REASON)).toBe('unknown event type KitExploded');
    expect(dlq[2]!.header(HEADER_DEAD_LETTER_REASON)).toMatch(/DoeStarted payload is invalid: kitId:/);
    for (const m of dlq) {
      expect(m.header(HEADER_ORIGINAL_SUBJECT)).toMatch(new RegExp(`^${bus.namespace}\\.evt\\.doe\\.7\\.`));
      expect(m.header(HEADER_CONSUMER)).toBe(DURABLE);
    }
    // The original body is kept as it was, for whoever repairs it.
    expect(dlq[0]!.body).toBe('{"eventId": oops');
    await waitFor(consumerIsDrained, 'nothing left pending or unacknowledged', 5_000);
    expect(consumer!.status()).toMatchObject({ processed: 3, deadLettered: 3, lastPosition: 6 });
  });

  it('parks a message whose type is not a usable subject token under "unknown", keeping the connection', async () => {
    const handled: string[] = [];
    await consumer!.start(async (event) => {
      handled.push(event.envelope.eventId);
      return done();
    });
    const next = doeStartedEnvelope();

    await publishRaw(encodeEnvelope(doeStartedEnvelope({ type: `Kit${'x'.repeat(5_000)}` })));
    await publishRaw(encodeEnvelope(doeStartedEnvelope({ type: 'Kit.Exploded>*' })));
    await publishRaw(encodeEnvelope(next));

    await waitFor(async () => handled.length === 1 && (await deadLetters()).length === 2, 'the next event handled and two dead letters', 10_000);
    expect(handled).toEqual([next.eventId]);
    expect((await deadLetters()).map((m) => m.subject)).toEqual([`${bus.namespace}.dlq.${DURABLE}.unknown`, `${bus.namespace}.dlq.${DURABLE}.unknown`]);
    expect(errors).toEqual([]);
  });

  it('redelivers an event whose handler asks to retry, after the delay it asked for, and dead-letters it after maxDeliver deliveries', async () => {
    const poison = doeStartedEnvelope();
    const after = doeStartedEnvelope();
    const deliveries: number[] = [];
    const handled: string[] = [];
    await consumer!.start(async (event): Promise<HandlerResult> => {
      if (event.envelope.eventId !== poison.eventId) {
        handled.push(event.envelope.eventId);
        return done();
      }
      deliveries.push(performance.now());
      return retry('the run is locked by another writer', 150);
    });

    await publisher.publishBatch([poison]);
    await publisher.publishBatch([after]);

    await waitFor(async () => (await deadLetters()).length === 1, 'the event dead-lettered', 10_000);
    expect(deliveries).toHaveLength(MAX_DELIVER);
    const gaps = deliveries.slice(1).map((t, i) => t - deliveries[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(140);
    // The event behind it did not wait for the retries.
    expect(handled).toEqual([after.eventId]);
    const [dead] = await deadLetters();
    expect(dead!.subject).toBe(`${bus.namespace}.dlq.${DURABLE}.DoeStarted`);
    expect(dead!.header(HEADER_DEAD_LETTER_REASON)).toBe(`gave up after ${MAX_DELIVER} deliveries: the run is locked by another writer`);
    expect(JSON.parse(dead!.body)).toMatchObject({ eventId: poison.eventId });

    await waitFor(consumerIsDrained, 'nothing left pending or unacknowledged', 5_000);
    await sleep(400);
    expect(deliveries).toHaveLength(MAX_DELIVER);
  });

  it('retries a handler that throws with growing delays, then dead-letters it with the error', async () => {
    const deliveries: number[] = [];
    await consumer!.start(async () => {
      deliveries.push(performance.now());
      throw new Error('database unavailable');
    });

    await publisher.publishBatch([doeStartedEnvelope()]);

    await waitFor(async () => (await deadLetters()).length === 1, 'the event dead-lettered', 10_000);
    expect(deliveries).toHaveLength(MAX_DELIVER);
    expect(deliveries[1]! - deliveries[0]!).toBeGreaterThanOrEqual(90);
    expect(deliveries[2]! - deliveries[1]!).toBeGreaterThanOrEqual(190);
    const [dead] = await deadLetters();
    expect(dead!.header(HEADER_DEAD_LETTER_REASON)).toBe(`gave up after ${MAX_DELIVER} deliveries: database unavailable`);
    expect(errors.filter((e) => e.startsWith('handler for DoeStarted failed'))).toHaveLength(MAX_DELIVER);
  });

  it('acks skipped events and dead-letters at once what a handler says is poison', async () => {
    const skip = doeStartedEnvelope();
    const poison = doeStartedEnvelope();
    const calls: string[] = [];
    await consumer!.start(async (event) => {
      calls.push(event.envelope.eventId);
      if (event.envelope.eventId === skip.eventId) return skipped('already applied');
      return deadLetter('the run it names does not exist');
    });

    await publisher.publishBatch([skip, poison]);

    await waitFor(async () => (await deadLetters()).length === 1 && (await consumerIsDrained()), 'one dead letter, nothing pending', 10_000);
    expect(calls).toEqual([skip.eventId, poison.eventId]);
    expect((await deadLetters())[0]!.header(HEADER_DEAD_LETTER_REASON)).toBe('the run it names does not exist');
    expect(consumer!.status()).toMatchObject({ processed: 1, deadLettered: 1 });
  });

  it('hands batches of valid events to a batch handler, dead-lettering the malformed ones among them', async () => {
    const batches: string[][] = [];
    await consumer!.startBatch(async (events) => {
      batches.push(events.map((e) => e.envelope.eventId));
    }, 50);
    const valid = Array.from({ length: 20 }, () => doeStartedEnvelope());

    await publisher.publishBatch(valid.slice(0, 10));
    await publishRaw(encodeEnvelope(doeStartedEnvelope({ data: { attempt: 0 } })));
    await publisher.publishBatch(valid.slice(10));

    await waitFor(async () => batches.flat().length === 20 && (await deadLetters()).length === 1, 'twenty handled, one dead letter', 10_000);
    expect(batches.flat()).toEqual(valid.map((e) => e.eventId));
    expect((await deadLetters())[0]!.header(HEADER_DEAD_LETTER_REASON)).toMatch(/attempt/);
    await waitFor(consumerIsDrained, 'nothing left pending or unacknowledged', 5_000);
  });

  it('redelivers, after stop(), what it had not handled yet, to the next consumer of the durable', async () => {
    const first: string[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    await consumer!.start(async (event) => {
      first.push(event.envelope.eventId);
      await blocked;
      return done();
    });
    const events = Array.from({ length: 5 }, () => doeStartedEnvelope());
    await publisher.publishBatch(events);
    await waitFor(async () => first.length === 1, 'the first event in hand', 5_000);

    const stopping = consumer!.stop();
    release();
    await stopping;

    const second: string[] = [];
    consumer = new EventConsumer(bus.js, bus.names, { stream: bus.names.eventsStream, durable: DURABLE, maxDeliver: MAX_DELIVER });
    await consumer.start(async (event) => {
      second.push(event.envelope.eventId);
      return done();
    });
    const rest = events.slice(1).map((e) => e.eventId);
    await waitFor(async () => rest.every((id) => second.includes(id)), 'the rest redelivered to the next consumer', 10_000);
    // Only the event in hand was finished before stopping; delivery is at least once, in no promised order.
    expect(first).toEqual([events[0]!.eventId]);
    expect(second).not.toContain(events[0]!.eventId);
  });
});

describe('EventConsumer trace context (real NATS JetStream, OpenTelemetry SDK)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let bus: TestBus;
  let consumer: EventConsumer | undefined;

  useTestTracing(provider);
  beforeEach(async () => {
    bus = await createTestBus();
    await ensureDurableConsumer(bus.jsm, { stream: bus.names.eventsStream, durable: DURABLE, filterSubjects: [bus.names.allEvents], maxDeliver: MAX_DELIVER });
    consumer = new EventConsumer(bus.js, bus.names, { stream: bus.names.eventsStream, durable: DURABLE, maxDeliver: MAX_DELIVER });
  });
  afterEach(async () => {
    try {
      await consumer?.stop();
    } finally {
      consumer = undefined;
      exporter.reset();
      await bus?.cleanup();
    }
  });

  it("runs the handler in a consumer span continuing the publisher's trace from the traceparent header", async () => {
    const seen = new Map<string, { traceId?: string; spanId?: string }>();
    await consumer!.start(async (event) => {
      await sleep(5); // the context must survive an await inside the handler
      const span = trace.getActiveSpan()?.spanContext();
      seen.set(event.envelope.eventId, { traceId: span?.traceId, spanId: span?.spanId });
      return done();
    });
    const traced = doeStartedEnvelope({ metadata: { actor: 'user:1', correlationId: crypto.randomUUID(), traceparent: TRACEPARENT } });
    const untraced = doeStartedEnvelope();

    await new EventPublisher(bus.js, bus.names).publishBatch([traced, untraced]);
    await waitFor(async () => seen.size === 2, 'both events handled', 10_000);

    const tracedSpan = seen.get(traced.eventId)!;
    expect(tracedSpan.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const finished = exporter.getFinishedSpans().find((s) => s.spanContext().spanId === tracedSpan.spanId);
    expect(finished).toMatchObject({ name: 'consume DoeStarted', parentSpanContext: { spanId: 'b7ad6b7169203331', isRemote: true } });
    expect(finished!.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.consumer.group.name': DURABLE,
      'messaging.message.id': traced.eventId,
    });

    // Without a traceparent the handler still has a span, in a trace of its own.
    const untracedSpan = seen.get(untraced.eventId)!;
    expect(untracedSpan.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(untracedSpan.traceId).not.toBe(tracedSpan.traceId);
  });
});
