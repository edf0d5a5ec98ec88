import { describe, expect, it } from '@jest/globals';
import { busNames, type DeliveredEvent, DoeCompleted, DoeStarted, type EnvelopeOf, KitRunStopped } from '@vista/contracts';
import { done, type HandlerResult, skipped } from '../jetstream/handler-result.js';
import { doeStartedEnvelope } from '../testing/envelope.factory.js';
import { BusEventDeclarationError, type DiscoveredHandler, filterSubjectOf, planDurables } from './bus-event-plan.js';
import { dispatch } from './bus-events.registry.js';
import { type BusEventDelivery, busEventDeclarationsOf, OnBusEvent } from './on-bus-event.decorator.js';

class MlHandlers {
  readonly seen: { type: string; delivery: BusEventDelivery }[] = [];

  @OnBusEvent(DoeCompleted, { durable: 'ml', maxDeliver: 7 })
  async onDoeCompleted(event: EnvelopeOf<'DoeCompleted'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    this.seen.push({ type: event.type, delivery });
    return done();
  }

  @OnBusEvent(DoeStarted, { durable: 'ml' })
  async onDoeStarted(event: EnvelopeOf<'DoeStarted'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    this.seen.push({ type: event.type, delivery });
    return skipped(`run ${event.data.runId} not followed`);
  }

  notAHandler(): void {}
}

class AuditHandlers {
  @OnBusEvent(DoeCompleted, { durable: 'audit' })
  async onDoeCompleted(_event: EnvelopeOf<'DoeCompleted'>): Promise<HandlerResult> {
    return done();
  }
}

class MoreMlHandlers {
  @OnBusEvent(DoeCompleted, { durable: 'ml' })
  async trainOnDoe(_event: EnvelopeOf<'DoeCompleted'>): Promise<HandlerResult> {
    return done();
  }

  @OnBusEvent(KitRunStopped, { durable: 'ml', maxDeliver: 3 })
  async onKitRunStopped(_event: EnvelopeOf<'KitRunStopped'>): Promise<HandlerResult> {
    return done();
  }
}

class MistypedHandlers {
  // The parameter is typed from the definition: another event's envelope does not compile.
  // @ts-expect-error DoeStarted's envelope is not DoeCompleted's
  @OnBusEvent(DoeCompleted, { durable: 'ml' })
  async onDoeCompleted(_event: EnvelopeOf<'DoeStarted'>): Promise<HandlerResult> {
    return done();
  }

  // @ts-expect-error a handler answers with a HandlerResult
  @OnBusEvent(DoeStarted, { durable: 'ml' })
  async onDoeStarted(_event: EnvelopeOf<'DoeStarted'>): Promise<void> {}
}

const discovered = (instance: object): DiscoveredHandler[] =>
  busEventDeclarationsOf(Object.getPrototypeOf(instance) as object).map((d) => ({ ...d, className: instance.constructor.name, instance }));

describe('@OnBusEvent declarations', () => {
  it('records each decorated method with its event definition and durable, and nothing else', () => {
    const declarations = busEventDeclarationsOf(MlHandlers.prototype);

    expect(declarations.map((d) => [d.definition.type, d.options.durable, d.methodName])).toEqual([
      ['DoeCompleted', 'ml', 'onDoeCompleted'],
      ['DoeStarted', 'ml', 'onDoeStarted'],
    ]);
    expect(declarations[0]!.definition).toBe(DoeCompleted);
    expect(busEventDeclarationsOf(MistypedHandlers.prototype)).toHaveLength(2);
  });

  it('refuses a durable name that is not one subject token', () => {
    expect(() => OnBusEvent(DoeCompleted, { durable: 'ml.train' })).toThrow(/durable "ml.train" must match/);
    expect(() => OnBusEvent(DoeCompleted, { durable: '' })).toThrow(/durable "" must match/);
  });
});

describe('planDurables', () => {
  it('groups handlers by durable and keeps the consumer settings set on any of them', () => {
    const plans = planDurables([...discovered(new MlHandlers()), ...discovered(new AuditHandlers())]);

    expect(plans.map((p) => [p.durable, [...p.handlers.keys()], p.consumer])).toEqual([
      ['ml', ['DoeCompleted', 'DoeStarted'], { maxDeliver: 7 }],
      ['audit', ['DoeCompleted'], {}],
    ]);
    expect(plans[1]!.handlers.get('DoeCompleted')).toMatchObject({ className: 'AuditHandlers', methodName: 'onDoeCompleted' });
  });

  it('refuses one event type handled twice on one durable, naming both methods', () => {
    const handlers = [...discovered(new MlHandlers()), ...discovered(new MoreMlHandlers()).filter((h) => h.definition.type === 'DoeCompleted')];

    expect(() => planDurables(handlers)).toThrow(BusEventDeclarationError);
    expect(() => planDurables(handlers)).toThrow(
      'DoeCompleted is handled twice on durable "ml": by MlHandlers.onDoeCompleted and by MoreMlHandlers.trainOnDoe; one event type has one handler per durable',
    );
  });

  it('refuses consumer settings that differ between the handlers of one durable', () => {
    const handlers = [...discovered(new MlHandlers()), ...discovered(new MoreMlHandlers()).filter((h) => h.definition.type === 'KitRunStopped')];

    expect(() => planDurables(handlers)).toThrow(
      'durable "ml" has conflicting maxDeliver: 7 on MlHandlers.onDoeCompleted, 3 on MoreMlHandlers.onKitRunStopped; set it once per durable',
    );
  });

  it('filters a single-type durable on that event subject and any other on every event', () => {
    const names = busNames('vista');
    const [ml, audit] = planDurables([...discovered(new MlHandlers()), ...discovered(new AuditHandlers())]);

    expect(filterSubjectOf(audit!, names)).toBe('vista.evt.doe.*.DoeCompleted');
    expect(filterSubjectOf(ml!, names)).toBe('vista.evt.>');
  });
});

describe('dispatch', () => {
  const delivered = (type: string, position: number): DeliveredEvent<object> => ({ envelope: doeStartedEnvelope({ type }), position });

  it('hands each event to the method declared for its type, with where it was delivered', async () => {
    const handlers = new MlHandlers();
    const [plan] = planDurables(discovered(handlers));

    expect(await dispatch(plan!, delivered('DoeCompleted', 11), 2)).toEqual(done());
    expect(await dispatch(plan!, delivered('DoeStarted', 12))).toMatchObject({ kind: 'skipped' });
    expect(handlers.seen).toEqual([
      { type: 'DoeCompleted', delivery: { position: 11, durable: 'ml', deliveryCount: 2 } },
      { type: 'DoeStarted', delivery: { position: 12, durable: 'ml', deliveryCount: 1 } },
    ]);
  });

  it('skips an event no method of the durable handles', async () => {
    const handlers = new MlHandlers();
    const [plan] = planDurables(discovered(handlers));

    expect(await dispatch(plan!, delivered('KitRunStopped', 13))).toEqual(skipped('no handler for KitRunStopped on durable "ml"'));
    expect(handlers.seen).toEqual([]);
  });
});
