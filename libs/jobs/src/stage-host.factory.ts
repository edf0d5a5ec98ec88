import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Kysely } from 'kysely';
import { BUS_NAMES, JETSTREAM, JETSTREAM_MANAGER } from '@vista/bus';
import type { BusNames } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { EventStore } from '@vista/event-store';
import { StageHost, type StageHostOptions } from './stage-host.js';

/** What a stage service gives to build its host; the database, bus and event store come from its modules. */
export type StageDefinition = Omit<StageHostOptions, 'db' | 'js' | 'jsm' | 'names' | 'store'>;

/** Builds a stage's host on the service's own database, bus and event store. */
@Injectable()
export class StageHostFactory {
  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    private readonly store: EventStore,
  ) {}

  create(definition: StageDefinition): StageHost {
    return new StageHost({ ...definition, db: this.db, js: this.js, jsm: this.jsm, names: this.names, store: this.store });
  }
}
