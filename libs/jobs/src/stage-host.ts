import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Kysely } from 'kysely';
import type { BusNames, EventEnvelope } from '@vista/contracts';
import type { EventStore } from '@vista/event-store';
import { StageConsumer } from './stage-consumer.js';
import type { StageJob } from './stage-job.js';
import { type LeaseSettings, type StageLogger, StageRunner, type StageTrigger, type StageWork } from './stage-runner.js';
import type { StageSpec } from './stage-spec.js';
import type { WorkerPool } from './worker-pool.js';

export interface StageHostOptions {
  readonly spec: StageSpec;
  readonly schema: string;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: BusNames;
  readonly pool: WorkerPool;
  readonly leasing: LeaseSettings;
  /** The previous stage's completion event; none for the stage that starts a run (deck collection). */
  readonly triggerType?: string;
  readonly toTrigger?: (event: EventEnvelope<Record<string, unknown>>) => StageTrigger | Promise<StageTrigger>;
  readonly work: StageWork;
  readonly logger: StageLogger;
  readonly stepRequestFields?: (job: StageJob) => Record<string, unknown>;
}

/** A stage service's job runner and (for a stage triggered by another's completion) its consumer, started and stopped together. */
export class StageHost {
  readonly runner: StageRunner;
  private readonly consumer?: StageConsumer;

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
    if (options.triggerType && options.toTrigger) {
      this.consumer = new StageConsumer({
        js: options.js,
        jsm: options.jsm,
        names: options.names,
        durable: options.spec.jobType,
        runner: this.runner,
        triggerType: options.triggerType,
        toTrigger: options.toTrigger,
        onError: (error, message) => options.logger.error(`${message}: ${(error as Error)?.message ?? error}`),
      });
    }
  }

  /** Takes queued jobs (and takes over those whose lease ran out), then consumes triggers and run controls. */
  async start(): Promise<void> {
    await this.runner.start();
    await this.consumer?.start();
  }

  /** Stops consuming, then stops in-process work (its leases are given back: another replica, or the next process, goes on). */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.runner.shutdown();
  }

  consumerStatus() {
    return this.consumer?.status();
  }
}
