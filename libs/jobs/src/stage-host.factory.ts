import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@vista/db';
import { EventStore } from '@vista/event-store';
import type { QueuePosition } from './job-queue.js';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-environment.js';
import { StageHost, type StageHostOptions } from './stage-host.js';
import { WorkerPool } from './worker-pool.js';

/** What a stage service gives to build its host; the database, bus, event store and worker pool come from its modules. */
export type StageDefinition = Omit<StageHostOptions, 'db' | 'store' | 'pool' | 'leasing'>;

/**
 * Builds a stage's host on the service's own database, bus, event store and warm worker pool, and
 * starts and stops the hosts it built with the application.
 */
@Injectable()
export class StageHostFactory implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('StageHostFactory');
  private readonly hosts: StageHost[] = [];
  /** The service's warm workers: its stage's jobs run here, and any other heavy task of the service. */
  readonly pool: WorkerPool;

  constructor(
    @Inject(JOBS_SETTINGS) private readonly settings: JobsSettings,
    @Inject(DATABASE) private readonly db: Kysely<any>,
    private readonly store: EventStore,
  ) {
    this.pool = new WorkerPool({
      size: settings.JOB_WORKERS,
      maxOldGenerationSizeMb: settings.JOB_WORKER_HEAP_MB,
      ...(settings.preload ? { preload: settings.preload } : {}),
      onError: (error) => this.logger.error(`a worker failed outside any task: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  create(definition: StageDefinition): StageHost {
    const jobs = this.settings;
    const host = new StageHost({
      ...definition,
      db: this.db,
      store: this.store,
      pool: this.pool,
      leasing: { leaseMs: jobs.JOB_LEASE_MS, heartbeatMs: jobs.JOB_HEARTBEAT_MS, pollMs: jobs.JOB_POLL_MS },
    });
    this.hosts.push(host);
    return host;
  }

  /** Where these runs' jobs stand in the service's queue (its stage's runner answers). */
  async queuePositions(runIds: readonly string[]): Promise<Map<string, QueuePosition>> {
    const [host] = this.hosts;
    return host ? host.runner.queuePositions(runIds) : new Map();
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const host of this.hosts) await host.start();
  }

  /**
   * Before the database and the bus close (and while the consumers stop taking events): running jobs
   * finish within JOB_DRAIN_MS, what is left goes back to the queue.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.pool.beginClose();
    await Promise.all(this.hosts.map((host) => host.stop(this.settings.JOB_DRAIN_MS ?? 0)));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
    await this.pool.close();
  }
}
