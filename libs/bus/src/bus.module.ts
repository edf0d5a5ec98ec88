import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BusNames, busNames } from '@vista/contracts';
import { ArtifactsBucket } from './jetstream/artifacts-bucket.js';
import { BUS_NAMES, JETSTREAM, JETSTREAM_MANAGER, NATS_CONNECTION } from './bus.tokens.js';
import { EventPublisher } from './jetstream/event-publisher.js';
import { connectNats } from './jetstream/nats-connection.js';
import { provisionStreams } from './jetstream/stream-provisioner.js';

export { BUS_NAMES, JETSTREAM, JETSTREAM_MANAGER, NATS_CONNECTION };

export interface BusModuleOptions {
  readonly url: string;
  readonly namespace: string;
  /** Connection name shown by the server (the service name). */
  readonly name: string;
  /** Replicas of the events and dead-letter streams (3 on a JetStream cluster). */
  readonly streamReplicas?: number;
}

@Injectable()
class BusLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    // Drain: finish in-flight messages and flush publishes before closing.
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

/** One NATS connection per process, JetStream clients, and the streams provisioned at start-up. */
@Module({})
export class BusModule {
  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS_NAMES, useValue: busNames(options.namespace) },
        { provide: NATS_CONNECTION, useFactory: () => connectNats(options.url, options.name) },
        {
          provide: JETSTREAM_MANAGER,
          inject: [NATS_CONNECTION, BUS_NAMES],
          useFactory: async (nc: NatsConnection, names: BusNames) => {
            const jsm = await jetstreamManager(nc);
            await provisionStreams(jsm, names, { replicas: options.streamReplicas });
            return jsm;
          },
        },
        // Depends on the manager so streams exist before anything publishes.
        { provide: JETSTREAM, inject: [NATS_CONNECTION, JETSTREAM_MANAGER], useFactory: (nc: NatsConnection) => jetstream(nc) },
        { provide: EventPublisher, inject: [JETSTREAM, BUS_NAMES], useFactory: (js: JetStreamClient, names: BusNames) => new EventPublisher(js, names) },
        BusLifecycle,
        ArtifactsBucket,
      ],
      exports: [BUS_NAMES, NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER, EventPublisher, ArtifactsBucket],
    };
  }
}

/** Readiness check: the NATS connection is up and the server answers a round trip. */
export const natsHealthCheck = (nc: NatsConnection) => ({
  name: 'nats',
  async check() {
    if (nc.isClosed()) return { ok: false, detail: { reason: 'connection closed' } };
    const rttMs = await nc.rtt();
    return { ok: true, detail: { server: nc.getServer(), rttMs } };
  },
});

export type { JetStreamManager };
