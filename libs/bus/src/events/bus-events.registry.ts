import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { BusNames, DeliveredEvent, EventEnvelope } from '@vista/contracts';
import { BUS_NAMES, JETSTREAM, JETSTREAM_MANAGER } from '../bus.tokens.js';
import { type ConsumerStatus, EventConsumer } from '../jetstream/event-consumer.js';
import type { HandlerResult } from '../jetstream/handler-result.js';
import { ensureDurableConsumer } from '../jetstream/stream-provisioner.js';
import { BusEventDeclarationError, type DiscoveredHandler, type DurablePlan, filterSubjectOf, planDurables } from './bus-event-plan.js';
import { type BusEventDelivery, busEventDeclarationsOf } from './on-bus-event.decorator.js';

const DEFAULT_MAX_DELIVER = 5;
const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 30_000];

/** A durable's consumer as a health check reports it. */
export interface BusEventConsumerStatus extends ConsumerStatus {
  readonly durable: string;
  readonly filterSubject: string;
  readonly eventTypes: readonly string[];
}

/**
 * Finds every `@OnBusEvent` method of the application's providers when it boots, refuses ambiguous
 * declarations, and runs one durable consumer per durable name that hands each event to its method.
 */
@Injectable()
export class BusEventsRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BusEvents');
  private readonly running: { plan: DurablePlan; filterSubject: string; consumer: EventConsumer }[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
  ) {}

  /** Runs after every provider's `onModuleInit`, so the handlers' dependencies are ready. */
  async onApplicationBootstrap(): Promise<void> {
    const plans = planDurables(this.discover());
    for (const plan of plans) await this.startDurable(plan);
  }

  /** Before the NATS connection drains: finish the event in hand, hand back the rest, close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.running.map(({ consumer }) => consumer.stop()));
  }

  status(): BusEventConsumerStatus[] {
    return this.running.map(({ plan, filterSubject, consumer }) => ({
      durable: plan.durable,
      filterSubject,
      eventTypes: [...plan.handlers.keys()],
      ...consumer.status(),
    }));
  }

  private discover(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const { instance, metatype } = wrapper;
      if (!instance || typeof instance !== 'object' || typeof metatype !== 'function') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      const declarations = busEventDeclarationsOf(prototype);
      if (declarations.length === 0) continue;
      const className = metatype.name || wrapper.name?.toString() || 'anonymous';
      // One consumer calls one instance: a request-scoped or transient class has none to call.
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        throw new BusEventDeclarationError(`${className} declares @OnBusEvent handlers but is not a singleton provider`);
      }
      const methods = new Set(this.scanner.getAllMethodNames(prototype));
      for (const declaration of declarations) {
        if (!methods.has(declaration.methodName)) continue;
        found.push({ ...declaration, className, instance });
      }
    }
    return found;
  }

  private async startDurable(plan: DurablePlan): Promise<void> {
    const stream = this.names.eventsStream;
    const filterSubject = filterSubjectOf(plan, this.names);
    const maxDeliver = plan.consumer.maxDeliver ?? DEFAULT_MAX_DELIVER;
    await ensureDurableConsumer(this.jsm, {
      stream,
      durable: plan.durable,
      filterSubjects: [filterSubject],
      maxDeliver,
      ...(plan.consumer.ackWaitMs !== undefined ? { ackWaitMs: plan.consumer.ackWaitMs } : {}),
    });
    const consumer = new EventConsumer(this.js, this.names, {
      stream,
      durable: plan.durable,
      maxDeliver,
      retryDelaysMs: [...(plan.consumer.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)],
      types: new Set(plan.handlers.keys()),
      onError: (error, message) => this.logger.error(`${plan.durable}: ${message}: ${(error as Error)?.message ?? String(error)}`),
    });
    this.running.push({ plan, filterSubject, consumer });
    await consumer.start((event, { deliveryCount }) => dispatch(plan, event, deliveryCount));
    const handled = [...plan.handlers.values()].map((h) => `${h.definition.type} → ${h.className}.${h.methodName}`).join(', ');
    this.logger.log(`durable "${plan.durable}" consuming ${filterSubject}: ${handled}`);
  }
}

/** Hands an event to the method declared for its type; a type without one is acked as skipped. */
export function dispatch(plan: DurablePlan, event: DeliveredEvent<object>, deliveryCount = 1): Promise<HandlerResult> {
  const handler = plan.handlers.get(event.envelope.type);
  if (!handler) return Promise.resolve({ kind: 'skipped', reason: `no handler for ${event.envelope.type} on durable "${plan.durable}"` });
  const delivery: BusEventDelivery = { position: event.position, durable: plan.durable, deliveryCount };
  const method = (handler.instance as Record<string, (envelope: EventEnvelope<object>, delivery: BusEventDelivery) => Promise<HandlerResult>>)[
    handler.methodName
  ]!;
  return method.call(handler.instance, event.envelope, delivery);
}
