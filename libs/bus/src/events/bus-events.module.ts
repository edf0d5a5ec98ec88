import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BusEventsRegistry } from './bus-events.registry.js';

/**
 * Runs the application's `@OnBusEvent` handlers (needs `BusModule`). A static module: imported by
 * several modules it is still one registry, so no handler is consumed twice.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [BusEventsRegistry],
  exports: [BusEventsRegistry],
})
export class BusEventsModule {}

/** Readiness check: every durable consumer of the registry is running (no handlers: nothing to check). */
export const busEventsHealthCheck = (registry: BusEventsRegistry) => ({
  name: 'bus-events',
  async check() {
    const consumers = registry.status();
    const detail = Object.fromEntries(
      consumers.map(({ durable, running, filterSubject, processed, deadLettered, failures, lastPosition }) => [
        durable,
        { running, filterSubject, processed, deadLettered, failures, lastPosition },
      ]),
    );
    return { ok: consumers.every((c) => c.running), detail };
  },
});
