import type { BusNames } from '@vista/contracts';
import type { BusEventConsumerOptions, BusEventDeclaration } from './on-bus-event.decorator.js';

/** One discovered handler: its declaration and the class that holds it. */
export interface DiscoveredHandler extends BusEventDeclaration {
  readonly className: string;
  readonly instance: object;
}

/** One durable consumer to run: the events it dispatches, each to one method. */
export interface DurablePlan {
  readonly durable: string;
  readonly handlers: ReadonlyMap<string, DiscoveredHandler>;
  readonly consumer: BusEventConsumerOptions;
}

/** Start-up refuses a handler declaration that would make delivery ambiguous. */
export class BusEventDeclarationError extends Error {
  override readonly name = 'BusEventDeclarationError';
}

const where = (h: DiscoveredHandler) => `${h.className}.${h.methodName}`;
const CONSUMER_OPTIONS = ['maxDeliver', 'ackWaitMs', 'retryDelaysMs'] as const satisfies readonly (keyof BusEventConsumerOptions)[];

/**
 * Groups handlers by durable. Refuses one event type handled twice on one durable (which method
 * would answer for the ack?) and consumer settings that differ between the handlers of a durable.
 */
export function planDurables(handlers: readonly DiscoveredHandler[]): DurablePlan[] {
  const byDurable = new Map<string, DiscoveredHandler[]>();
  for (const h of handlers) byDurable.set(h.options.durable, [...(byDurable.get(h.options.durable) ?? []), h]);
  return [...byDurable].map(([durable, list]) => {
    const byType = new Map<string, DiscoveredHandler>();
    for (const h of list) {
      const first = byType.get(h.definition.type);
      if (first) {
        throw new BusEventDeclarationError(
          `${h.definition.type} is handled twice on durable "${durable}": by ${where(first)} and by ${where(h)}; one event type has one handler per durable`,
        );
      }
      byType.set(h.definition.type, h);
    }
    return { durable, handlers: byType, consumer: mergeConsumerOptions(durable, list) };
  });
}

function mergeConsumerOptions(durable: string, handlers: readonly DiscoveredHandler[]): BusEventConsumerOptions {
  const merged: Record<string, unknown> = {};
  const setBy: Record<string, DiscoveredHandler> = {};
  for (const h of handlers) {
    for (const key of CONSUMER_OPTIONS) {
      const value = h.options[key];
      if (value === undefined) continue;
      const first = setBy[key];
      if (first && JSON.stringify(merged[key]) !== JSON.stringify(value)) {
        throw new BusEventDeclarationError(
          `durable "${durable}" has conflicting ${key}: ${JSON.stringify(merged[key])} on ${where(first)}, ${JSON.stringify(value)} on ${where(h)}; set it once per durable`,
        );
      }
      merged[key] = value;
      setBy[key] ??= h;
    }
  }
  return merged as BusEventConsumerOptions;
}

/**
 * The consumer's filter: the one event's subject when the durable handles a single type, every
 * event otherwise (nats-server before 2.10 gives a consumer one filter subject only).
 */
export function filterSubjectOf(plan: DurablePlan, names: BusNames): string {
  if (plan.handlers.size !== 1) return names.allEvents;
  const [{ definition }] = plan.handlers.values();
  return names.eventTypeSubject(definition.context, definition.type);
}
