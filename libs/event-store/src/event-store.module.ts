import { type DynamicModule, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BUS_NAMES, EventPublisher, JETSTREAM_MANAGER, JetStreamProbe, NATS_CONNECTION } from '@vista/bus';
import type { BusNames } from '@vista/contracts';
import { metrics } from '@vista/telemetry';
import { DATABASE, PG_POOL } from '@vista/db';
import { EventStore } from './event-store.js';
import { OutboxRelay } from './outbox-relay.js';

export interface EventStoreModuleOptions {
  /** The service's own schema (`deck`, `doe`, …). */
  readonly schema: string;
}

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe?: () => void;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly store: EventStore,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.store.onAppended(() => this.relay.notify());
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
  }
}

const relayMetrics = {
  rewinds: metrics.counter({
    name: 'vista_relay_rewinds_total',
    help: 'Times the relay found the events stream behind it (it lost an acknowledged tail) and went back',
    labelNames: ['log'] as const,
  }),
  republished: metrics.counter({
    name: 'vista_relay_republished_events_total',
    help: 'Stored events the relay set out to publish again after the stream lost them',
    labelNames: ['log'] as const,
  }),
};

/** The service's event store and its outbox relay to JetStream, started and stopped with the app. */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    const logger = new Logger('OutboxRelay');
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        { provide: EventStore, inject: [DATABASE, PG_POOL], useFactory: (db: Kysely<any>, pool: pg.Pool) => new EventStore(db, options.schema, pool) },
        {
          provide: OutboxRelay,
          inject: [PG_POOL, EventPublisher, JETSTREAM_MANAGER, BUS_NAMES, NATS_CONNECTION],
          useFactory: (pool: pg.Pool, publisher: EventPublisher, jsm: JetStreamManager, names: BusNames, connection: NatsConnection) =>
            new OutboxRelay(pool, {
              schema: options.schema,
              publish: (events) => publisher.publishBatch(events),
              stream: new JetStreamProbe(jsm, names.eventsStream, connection),
              onRewind: (rewind) => {
                relayMetrics.rewinds.inc({ log: rewind.schema });
                relayMetrics.republished.inc({ log: rewind.schema }, rewind.republish);
                logger.error(
                  `stream ${names.eventsStream} lost messages this relay had published (last acknowledged sequence ${rewind.fromSequence}, ` +
                    `new messages from ${rewind.toSequence}): republishing ${rewind.republish} events of ${rewind.schema}.events from the last one it still holds`,
                );
              },
              onError: (error) => logger.error(`relay of ${options.schema}.events failed; retrying: ${(error as Error)?.message ?? String(error)}`),
            }),
        },
        RelayLifecycle,
      ],
      exports: [EventStore, OutboxRelay],
    };
  }
}

/** Readiness detail: whether this replica holds the relay and how far it got. */
export const relayHealthCheck = (relay: OutboxRelay) => ({
  name: 'outbox-relay',
  async check() {
    const status = relay.getStatus();
    return { ok: status.lastError === undefined, detail: { ...status } };
  },
});
