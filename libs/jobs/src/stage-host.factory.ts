import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Kysely } from 'kysely';
import { BUS_NAMES, JETSTREAM, JETSTREAM_MANAGER } from '@vista/bus';
import type { BusNames } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { EventStore } from '@vista/event-store';
import { StageHost, type StageHostOptions } from './stage-host.js';

/** What a stage service gives to build its host; the database, bus and event store come from its modules. */
export type StageDefinition = Omit<StageHostOptions, 'db' | 'js' | 'jsm' | 'names' | 'store'>;

/**
 * Builds a stage's host on the service's own database, bus and event store, and starts and stops the
 * hosts it built with the application.
 */
@Injectable()
export class StageHostFactory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly hosts: StageHost[] = [];

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    private readonly store: EventStore,
  ) {}

  create(definition: StageDefinition): StageHost {
    const host = new StageHost({ ...definition, db: this.db, js: this.js, jsm: this.jsm, names: this.names, store: this.store });
    this.hosts.push(host);
    return host;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const host of this.hosts) await host.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
  }
}
