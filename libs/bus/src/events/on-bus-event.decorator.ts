import 'reflect-metadata';
import type { AnyEventDefinition, EnvelopeOf } from '@vista/contracts';
import type { HandlerResult } from '../jetstream/handler-result.js';

/** Where a handled event came from, for handlers that need more than the envelope. */
export interface BusEventDelivery {
  /** Position in the events stream (the JetStream stream sequence). */
  readonly position: number;
  /** The durable consumer it was delivered to. */
  readonly durable: string;
  /** 1 on the first delivery, higher on redeliveries. */
  readonly deliveryCount: number;
}

/** The consumer settings of one durable; each may be set once per durable (by any of its handlers). */
export interface BusEventConsumerOptions {
  /** Deliveries before a failing event is dead-lettered (default 5). */
  readonly maxDeliver?: number;
  /** How long a delivered event may stay unacknowledged before the server redelivers it (default 30 s). */
  readonly ackWaitMs?: number;
  /** Delay before the n-th redelivery after a handler failure (last value repeats). */
  readonly retryDelaysMs?: readonly number[];
}

export interface OnBusEventOptions extends BusEventConsumerOptions {
  /** The JetStream durable consumer the handler runs on: events reach it in stream order. */
  readonly durable: string;
}

/** The envelope a handler of a definition receives: its payload class, its type name. */
export type EnvelopeOfDefinition<D extends AnyEventDefinition> = EnvelopeOf<D['type']>;

/** The shape a method decorated with `@OnBusEvent(D, …)` must have. */
export type BusEventHandler<D extends AnyEventDefinition> = (event: EnvelopeOfDefinition<D>, delivery: BusEventDelivery) => Promise<HandlerResult>;

/** What the decorator records on a class, read back by the registry. */
export interface BusEventDeclaration {
  readonly definition: AnyEventDefinition;
  readonly options: OnBusEventOptions;
  readonly methodName: string;
}

export const BUS_EVENT_HANDLERS = Symbol('vista:bus-event-handlers');

/** A durable name is a single NATS subject token (no separators, wildcards or spaces). */
const DURABLE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Declares a method as the handler of one event on a durable consumer. The method's parameter is
 * typed from the definition, so a handler of another event does not compile, and
 * `grep -rn "OnBusEvent(DoeCompleted"` finds every consumer of the event.
 */
export function OnBusEvent<D extends AnyEventDefinition>(
  definition: D,
  options: OnBusEventOptions,
): <M extends BusEventHandler<D>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void {
  if (!DURABLE.test(options.durable)) {
    throw new Error(`@OnBusEvent(${definition.type}): durable "${options.durable}" must match ${DURABLE.source}`);
  }
  return (target, propertyKey) => {
    if (typeof propertyKey !== 'string') throw new Error(`@OnBusEvent(${definition.type}) must decorate a method with a string name`);
    // Kept on the prototype as a list: one method may handle several events, on one durable or more.
    const declared = (Reflect.getOwnMetadata(BUS_EVENT_HANDLERS, target) as BusEventDeclaration[] | undefined) ?? [];
    Reflect.defineMetadata(BUS_EVENT_HANDLERS, [...declared, { definition, options, methodName: propertyKey }], target);
  };
}

/** The declarations on a class's prototype chain (a subclass inherits its base's handlers). */
export function busEventDeclarationsOf(prototype: object): BusEventDeclaration[] {
  const out: BusEventDeclaration[] = [];
  for (let p: object | null = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const own = Reflect.getOwnMetadata(BUS_EVENT_HANDLERS, p) as BusEventDeclaration[] | undefined;
    if (own) out.push(...own.filter((d) => !out.some((o) => o.methodName === d.methodName && o.definition.type === d.definition.type)));
  }
  return out;
}
