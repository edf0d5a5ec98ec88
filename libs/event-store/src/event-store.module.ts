import { type DynamicModule, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { EventPublisher } from '@vista/bus';
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
          inject: [PG_POOL, EventPublisher],
          useFactory: (pool: pg.Pool, publisher: EventPublisher) =>
            new OutboxRelay(pool, {
              schema: options.schema,
              publish: (events) => publisher.publishBatch(events),
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
