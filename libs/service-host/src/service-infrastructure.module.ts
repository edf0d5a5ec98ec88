import { type DynamicModule, Module } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { BusEventsModule, BusEventsRegistry, busEventsHealthCheck, BusModule, NATS_CONNECTION, natsHealthCheck } from '@vista/bus';
import { DATABASE, DatabaseModule, databaseHealthCheck } from '@vista/db';
import { EventStoreModule, OutboxRelay, relayHealthCheck } from '@vista/event-store';
import { IdentityModule } from '@vista/identity';
import { HealthModule, LoggingModule, MetricsModule } from '@vista/telemetry';
import type { ServiceSettings } from './service-environment.js';

/**
 * What every event-sourced service runs on: JSON logs, `/metrics`, its Postgres pool, the bus, its
 * identity (verifying commands' senders), its own event store with the outbox relay, its `@OnBusEvent` handlers, and `/health` checking them all.
 */
@Module({})
export class ServiceInfrastructureModule {
  static forRoot(options: { name: string; schema: string; config: ServiceSettings }): DynamicModule {
    const { name, schema, config } = options;
    return {
      module: ServiceInfrastructureModule,
      imports: [
        LoggingModule.forRoot({ serviceName: name, level: config.LOG_LEVEL }),
        MetricsModule.forRoot({ serviceName: name }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: `vista-${name}` }),
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.VISTA_BUS_NAMESPACE, name, streamReplicas: config.VISTA_STREAM_REPLICAS }),
        // Who sends each command is verified (@OnCommand); the service signs what it sends on its own.
        IdentityModule.forRoot({ env: config, serviceName: name }),
        EventStoreModule.forRoot({ schema }),
        BusEventsModule,
        HealthModule.forRootAsync({
          imports: [BusEventsModule],
          inject: [DATABASE, NATS_CONNECTION, OutboxRelay, BusEventsRegistry],
          useFactory: (db: Kysely<any>, nc: NatsConnection, relay: OutboxRelay, events: BusEventsRegistry) => [
            databaseHealthCheck(db),
            natsHealthCheck(nc),
            relayHealthCheck(relay),
            busEventsHealthCheck(events),
          ],
        }),
      ],
      exports: [EventStoreModule],
    };
  }
}
