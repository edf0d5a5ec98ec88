import type { Kysely } from 'kysely';
import type { EventStore } from '@vista/event-store';
import type { StageJob } from './stage-job.js';
import { type LeaseSettings, type StageLogger, StageRunner, type StageWork } from './stage-runner.js';
import type { StageSpec } from './stage-spec.js';
import type { WorkerPool } from './worker-pool.js';

export interface StageHostOptions {
  readonly spec: StageSpec;
  readonly schema: string;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly pool: WorkerPool;
  readonly leasing: LeaseSettings;
  readonly work: StageWork;
  readonly logger: StageLogger;
  readonly stepRequestFields?: (job: StageJob) => Record<string, unknown>;
}

/**
 * A stage service's job runner, started and stopped with the service. What requests and controls its
 * jobs comes in through the service's `@OnBusEvent` handlers (see StageEvents) or its commands.
 */
export class StageHost {
  readonly runner: StageRunner;

  constructor(options: StageHostOptions) {
    this.runner = new StageRunner({
      spec: options.spec,
      store: options.store,
      db: options.db,
      schema: options.schema,
      work: options.work,
      logger: options.logger,
      pool: options.pool,
      leasing: options.leasing,
      ...(options.stepRequestFields ? { stepRequestFields: options.stepRequestFields } : {}),
    });
  }

  /** Takes queued jobs (and takes over those whose lease ran out). */
  async start(): Promise<void> {
    await this.runner.start();
  }

  /** Stops taking jobs, lets running ones finish within `drainMs`, then stops the rest and gives their leases back (another replica or the next process goes on). */
  async stop(drainMs = 0): Promise<void> {
    await this.runner.shutdown(drainMs);
  }
}
