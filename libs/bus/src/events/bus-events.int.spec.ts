import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DoeCompleted, DoeStarted, type EnvelopeOf, KitRunStopped } from '@vista/contracts';
import { type TestBus, createTestBus, testServers, waitFor } from '@vista/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { BusModule, NATS_CONNECTION } from '../bus.module.js';
import { HEADER_CONSUMER, HEADER_DEAD_LETTER_REASON } from '../jetstream/event-consumer.js';
import { done, type HandlerResult } from '../jetstream/handler-result.js';
import { doeStartedEnvelope, encodeEnvelope } from '../testing/envelope.factory.js';
import { readStream } from '../testing/stream.reader.js';
import { BusEventDeclarationError } from './bus-event-plan.js';
import { busEventsHealthCheck, BusEventsModule } from './bus-events.module.js';
import { BusEventsRegistry } from './bus-events.registry.js';
import { type BusEventDelivery, OnBusEvent } from './on-bus-event.decorator.js';

// Real NATS on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(30_000);

const KIT = 7;

/** What the handlers of one application saw, in order. */
@Injectable()
class Seen {
  readonly events: { durable: string; type: string; position: number }[] = [];
  record(event: { type: string }, delivery: BusEventDelivery): HandlerResult {
    this.events.push({ durable: delivery.durable, type: event.type, position: delivery.position });
    return done();
  }
}

@Injectable()
class TrainingHandlers {
  constructor(private readonly seen: Seen) {}

  @OnBusEvent(DoeCompleted, { durable: 'ml', maxDeliver: 4 })
  async onDoeCompleted(event: EnvelopeOf<'DoeCompleted'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.seen.record(event, delivery);
  }

  @OnBusEvent(KitRunStopped, { durable: 'ml' })
  async onKitRunStopped(event: EnvelopeOf<'KitRunStopped'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.seen.record(event, delivery);
  }
}

@Injectable()
class AuditHandlers {
  constructor(private readonly seen: Seen) {}

  @OnBusEvent(DoeStarted, { durable: 'audit' })
  async onDoeStarted(event: EnvelopeOf<'DoeStarted'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.seen.record(event, delivery);
  }
}

@Injectable()
class SecondTrainer {
  @OnBusEvent(DoeCompleted, { durable: 'ml' })
  async trainAgain(_event: EnvelopeOf<'DoeCompleted'>): Promise<HandlerResult> {
    return done();
  }
}

/** The connections the test applications opened: one that failed to start cannot close its own. */
const connections: NatsConnection[] = [];

@Injectable()
class ConnectionTracker {
  constructor(@Inject(NATS_CONNECTION) nc: NatsConnection) {
    connections.push(nc);
  }
}

/** A small application: the bus, the registry and the given handler classes. `NestFactory` boots it. */
const appModule = (namespace: string, handlers: (new (...args: never[]) => object)[]) => {
  @Module({
    imports: [BusModule.forRoot({ url: testServers.natsUrl, namespace, name: 'bus-events-test' }), BusEventsModule],
    providers: [ConnectionTracker, Seen, ...handlers],
  })
  class TestAppModule {}
  return TestAppModule;
};

const doeCompletedData = (overrides: Record<string, unknown> = {}) => ({
  kitId: KIT,
  runId: randomUUID(),
  jobId: randomUUID(),
  attempt: 1,
  completedAt: new Date().toISOString(),
  designType: 'ccd',
  pointCount: 9,
  datasetId: randomUUID(),
  dataInfo: { rows: 9 },
  chain: { deckId: randomUUID(), factors: ['x1', 'x2'], responses: ['y'], params: {} },
  ...overrides,
});

describe('BusEventsModule (real NATS JetStream)', () => {
  let bus: TestBus;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    bus = await createTestBus();
  });
  afterEach(async () => {
    try {
      await app?.close();
    } finally {
      app = undefined;
      for (const nc of connections.splice(0)) if (!nc.isClosed()) await nc.close();
      await bus?.cleanup();
    }
  });

  const publish = (context: string, type: string, data: Record<string, unknown>) =>
    bus.js.publish(bus.names.eventSubject(context, KIT, type), encodeEnvelope(doeStartedEnvelope({ type, context, data })));
  const deadLetters = () => readStream(bus, bus.names.deadLetterStream);
  const drained = async (durable: string) => {
    const info = await bus.jsm.consumers.info(bus.names.eventsStream, durable);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  };

  it('runs each durable’s handlers on the events of their types, in stream order, skipping the rest', async () => {
    app = await NestFactory.createApplicationContext(appModule(bus.namespace, [TrainingHandlers, AuditHandlers]), { logger: false });

    const started = await publish('doe', 'DoeStarted', {});
    const completed = await publish('doe', 'DoeCompleted', doeCompletedData());
    await publish('deck', 'DeckIngested', { kitId: KIT });
    const stopped = await publish('run', 'KitRunStopped', { kitId: KIT, runId: randomUUID(), stoppedAt: new Date().toISOString(), reason: 'by hand' });
    const seen = app.get(Seen);

    await waitFor(async () => seen.events.length === 3 && (await drained('ml')) && (await drained('audit')), 'both durables drained', 15_000);
    expect(seen.events.filter((e) => e.durable === 'ml')).toEqual([
      { durable: 'ml', type: 'DoeCompleted', position: completed.seq },
      { durable: 'ml', type: 'KitRunStopped', position: stopped.seq },
    ]);
    expect(seen.events.filter((e) => e.durable === 'audit')).toEqual([{ durable: 'audit', type: 'DoeStarted', position: started.seq }]);
    expect(await deadLetters()).toEqual([]);

    // A single-type durable is filtered on its event's subject; a mixed one reads every event.
    const audit = await bus.jsm.consumers.info(bus.names.eventsStream, 'audit');
    const ml = await bus.jsm.consumers.info(bus.names.eventsStream, 'ml');
    expect(audit.config.filter_subject).toBe(`${bus.namespace}.evt.doe.*.DoeStarted`);
    expect(ml.config.filter_subject).toBe(`${bus.namespace}.evt.>`);
    expect(ml.config.max_deliver).toBe(4);

    const registry = app.get(BusEventsRegistry);
    expect(registry.status()).toEqual([
      expect.objectContaining({ durable: 'ml', running: true, processed: 4, deadLettered: 0, eventTypes: ['DoeCompleted', 'KitRunStopped'] }),
      expect.objectContaining({ durable: 'audit', running: true, processed: 1, deadLettered: 0, eventTypes: ['DoeStarted'] }),
    ]);
    expect(await busEventsHealthCheck(registry).check()).toMatchObject({ ok: true, detail: { ml: { running: true }, audit: { running: true } } });
  });

  it('dead-letters a payload that fails its contract with the reason, and goes on with the next event', async () => {
    app = await NestFactory.createApplicationContext(appModule(bus.namespace, [TrainingHandlers]), { logger: false });

    await publish('doe', 'DoeCompleted', doeCompletedData({ pointCount: 'nine' }));
    const valid = await publish('doe', 'DoeCompleted', doeCompletedData());
    const seen = app.get(Seen);

    await waitFor(async () => seen.events.length === 1 && (await deadLetters()).length === 1 && (await drained('ml')), 'one handled, one dead letter', 15_000);
    expect(seen.events).toEqual([{ durable: 'ml', type: 'DoeCompleted', position: valid.seq }]);
    const [letter] = await deadLetters();
    expect(letter!.subject).toBe(`${bus.namespace}.dlq.ml.DoeCompleted`);
    expect(letter!.header(HEADER_CONSUMER)).toBe('ml');
    expect(letter!.header(HEADER_DEAD_LETTER_REASON)).toMatch(/DoeCompleted payload is invalid: .*pointCount/);
    expect(app.get(BusEventsRegistry).status()[0]).toMatchObject({ durable: 'ml', deadLettered: 1, processed: 1 });
  });

  it('refuses to start when one event type is handled twice on one durable, naming both methods', async () => {
    const starting = NestFactory.createApplicationContext(appModule(bus.namespace, [TrainingHandlers, SecondTrainer]), { logger: false });

    await expect(starting).rejects.toThrow(BusEventDeclarationError);
    await expect(starting).rejects.toThrow(
      /DoeCompleted is handled twice on durable "ml": by TrainingHandlers\.onDoeCompleted and by SecondTrainer\.trainAgain/,
    );
    // Nothing was consumed: no durable was created for the refused declarations.
    await expect(bus.jsm.consumers.info(bus.names.eventsStream, 'ml')).rejects.toThrow(/not found/i);
  });

  it('stops its consumers when the application closes, and its health check then fails', async () => {
    app = await NestFactory.createApplicationContext(appModule(bus.namespace, [AuditHandlers]), { logger: false });
    await publish('doe', 'DoeStarted', {});
    await waitFor(() => drained('audit'), 'audit drained', 15_000);
    const registry = app.get(BusEventsRegistry);

    await app.close();
    app = undefined;

    expect(registry.status()).toEqual([expect.objectContaining({ durable: 'audit', running: false, processed: 1 })]);
    expect(await busEventsHealthCheck(registry).check()).toMatchObject({ ok: false });
  });
});
