import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BUS_NAMES, EventConsumer, ensureDurableConsumer, JETSTREAM, JETSTREAM_MANAGER, NATS_CONNECTION, type RejectedDelivery } from '@vista/bus';
import type { BusNames, DeliveredEvent } from '@vista/contracts';
import { PROJECTOR_CONFIG, type ProjectorConfig } from '../config/projector.config.js';
import { UnfoldableEventError } from '../domain/unfoldable-event.error.js';
import { type AppliedBatch, ReadModelRepository } from '../repositories/read-model.repository.js';
import { FoldLock } from './fold.lock.js';
import { projectorMetrics } from './projector.metrics.js';

export const PROJECTOR_DURABLE = 'projector';

/**
 * Unacknowledged messages come back after this long: short, so a killed projector's in-flight
 * batch is redelivered to its successor within seconds.
 */
const ACK_WAIT_MS = 5_000;
/**
 * A valid event is retried (Postgres down, a deadlock) for days rather than dead-lettered: a read
 * model missing an event would silently differ from the log.
 */
const MAX_DELIVER = 10_000;
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

/** A valid event the read model cannot take, and why. */
export type RejectedEvent = RejectedDelivery;

export interface FoldProgress {
  readonly running: boolean;
  /** Highest events-stream sequence applied. */
  readonly position: number;
  /** Last time a batch committed or a message was dead-lettered. */
  readonly lastProgressAt: Date;
}

/**
 * Folds every event of the stream into the read model: a durable consumer hands over batches,
 * each applied in one transaction with the projector's progress, then acknowledged. After each
 * commit it announces the kits whose view changed on `<ns>.view.kit.<kitId>`.
 */
@Injectable()
export class ProjectorConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorConsumer.name);
  private readonly encoder = new TextEncoder();
  private consumer?: EventConsumer;
  private position = 0;
  private lastCommitAt = new Date();
  private markStarted!: () => void;
  /** Resolves once the durable consumer exists and messages flow. */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    private readonly repository: ReadModelRepository,
    private readonly lock: FoldLock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const batchSize = this.config.PROJECTOR_BATCH_SIZE;
    await ensureDurableConsumer(this.jsm, {
      stream: this.names.eventsStream,
      durable: PROJECTOR_DURABLE,
      filterSubjects: [this.names.allEvents],
      maxDeliver: MAX_DELIVER,
      ackWaitMs: ACK_WAIT_MS,
      // Room for the batch being folded, the next ones buffered, and redeliveries.
      maxAckPending: Math.max(4 * batchSize, 1_000),
    });
    this.position = (await this.repository.status()).position;
    projectorMetrics.position.set(this.position);
    this.consumer = new EventConsumer(this.js, this.names, {
      stream: this.names.eventsStream,
      durable: PROJECTOR_DURABLE,
      maxDeliver: MAX_DELIVER,
      retryDelaysMs: RETRY_DELAYS_MS,
      batchLingerMs: this.config.PROJECTOR_BATCH_LINGER_MS,
      onError: (error, message) => this.logger.error({ err: error }, message),
    });
    // Events the read model refuses are dead-lettered with their reason rather than acked.
    await this.consumer.startBatch((events) => this.onBatch(events), batchSize);
    this.markStarted();
    this.logger.log(`folding ${this.names.allEvents} into "${this.repository.schema}" from position ${this.position}, batches of ${batchSize}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Finish the batch in hand and hand the buffered messages back before the connections close.
    await this.consumer?.stop();
  }

  progress(): FoldProgress {
    const status = this.consumer?.status();
    const deadLetteredAt = status?.lastProgressAt;
    return {
      running: status?.running ?? false,
      position: this.position,
      lastProgressAt: deadLetteredAt && deadLetteredAt > this.lastCommitAt ? deadLetteredAt : this.lastCommitAt,
    };
  }

  /**
   * Applies one batch. Returns the events the read model refused (a value Postgres rejects), which
   * are left out so they cannot hold every later batch back.
   */
  async onBatch(events: DeliveredEvent<object>[]): Promise<RejectedEvent[]> {
    return this.lock.run(async () => {
      const started = performance.now();
      const rejected = await this.applyIsolating(events);
      projectorMetrics.batchDuration.observe((performance.now() - started) / 1000);
      projectorMetrics.batchSize.observe(events.length);
      return rejected;
    });
  }

  private async applyIsolating(events: DeliveredEvent<object>[]): Promise<RejectedEvent[]> {
    let applied: AppliedBatch;
    try {
      applied = await this.repository.apply(events, { fenced: true });
    } catch (error) {
      if (!isRefusedData(error)) throw error;
      if (events.length === 1) {
        const reason = `${events[0]!.envelope.type} cannot be folded: ${(error as Error).message}`;
        this.logger.error({ err: error, position: events[0]!.position, eventId: events[0]!.envelope.eventId }, reason);
        projectorMetrics.eventsRejected.inc();
        return [{ position: events[0]!.position, reason }];
      }
      // Halve until the refused events are alone; the others are applied as usual.
      const middle = events.length >>> 1;
      return [...(await this.applyIsolating(events.slice(0, middle))), ...(await this.applyIsolating(events.slice(middle)))];
    }
    this.afterCommit(applied);
    return [];
  }

  private afterCommit(applied: AppliedBatch): void {
    this.position = Math.max(this.position, applied.maxPosition);
    this.lastCommitAt = new Date();
    projectorMetrics.position.set(this.position);
    projectorMetrics.eventsApplied.inc(applied.fresh);
    for (const [kitId, position] of applied.changes.changedKits) {
      this.nc.publish(`${this.names.namespace}.view.kit.${kitId}`, this.encoder.encode(JSON.stringify({ kitId, position })));
    }
  }
}

/**
 * Errors that the same events would raise again on every retry: an unfoldable payload, or data
 * Postgres refuses (SQLSTATE class 22 data exception, 23 integrity violation).
 */
function isRefusedData(error: unknown): boolean {
  if (error instanceof UnfoldableEventError) return true;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
