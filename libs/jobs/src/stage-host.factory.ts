import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Kysely } from 'kysely';
import { BUS_NAMES, JETSTREAM, JETSTREAM_MANAGER } from '@vista/bus';
import type { BusNames } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { EventStore } from '@vista/event-store';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-environment.js';
import { StageHost, type StageHostOptions } from './stage-host.js';
import { WorkerPool } from './worker-pool.js';

/** What a stage service gives to build its host; the database, bus, event store and worker pool come from its modules. */
export type StageDefinition = Omit<StageHostOptions, 'db' | 'js' | 'jsm' | 'names' | 'store' | 'pool' | 'leasing'>;

/**
 * Builds a stage's host on the service's own database, bus, event store and warm worker pool, and
 * starts and stops the hosts it built with the application.
 */
@Injectable()
export class StageHostFactory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly hosts: StageHost[] = [];
  /** The service's warm workers: its stage's jobs run here, and any other heavy task of the service. */
  readonly pool: WorkerPool;

  constructor(
    @Inject(JOBS_SETTINGS) private readonly settings: JobsSettings,
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    private readonly store: EventStore,
  ) {
    this.pool = new WorkerPool({ size: settings.JOB_WORKERS, maxOldGenerationSizeMb: settings.JOB_WORKER_HEAP_MB });
  }

  create(definition: StageDefinition): StageHost {
    const jobs = this.settings;
    const host = new StageHost({
      ...definition,
      db: this.db,
      js: this.js,
      jsm: this.jsm,
      names: this.names,
      store: this.store,
      pool: this.pool,
      leasing: { leaseMs: jobs.JOB_LEASE_MS, heartbeatMs: jobs.JOB_HEARTBEAT_MS, pollMs: jobs.JOB_POLL_MS },
    });
    this.hosts.push(host);
    return host;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const host of this.hosts) await host.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
    await this.pool.close();
  }
}
