import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamManager } from '@nats-io/jetstream';
import { BUS_NAMES, JETSTREAM_MANAGER } from '@vista/bus';
import type { BusNames } from '@vista/contracts';
import type { HealthCheck } from '@vista/telemetry';
import { PROJECTOR_CONFIG, type ProjectorConfig } from '../config/projector.config.js';
import { ReadModelRepository } from '../repositories/read-model.repository.js';
import { PROJECTOR_DURABLE, ProjectorConsumer } from './projector.consumer.js';
import { projectorMetrics } from './projector.metrics.js';

const HEARTBEAT_MS = 1_000;

interface Beat {
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly at: Date;
}

/**
 * Every second: measures the lag (events the durable consumer has not had acknowledged, and the
 * age of the oldest of them) from JetStream itself, records it in projector_status for readers,
 * and keeps what readiness needs to tell the truth.
 */
@Injectable()
export class ProjectorHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorHeartbeat.name);
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private last?: Beat;
  private lastError?: string;
  /** When the current backlog was first seen (undefined while there is none). */
  private backlogSince?: Date;

  constructor(
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    private readonly repository: ReadModelRepository,
    private readonly consumer: ProjectorConsumer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The durable consumer is created by the consumer's own start-up, which runs alongside this one.
    await this.consumer.started;
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, HEARTBEAT_MS);
    this.beating = this.beat().finally(() => (this.beating = undefined));
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
  }

  /** Measures and records the lag once. */
  async beat(): Promise<void> {
    try {
      const info = await this.jsm.consumers.info(this.names.eventsStream, PROJECTOR_DURABLE);
      const lagEvents = info.num_pending + info.num_ack_pending;
      const at = new Date();
      let lagSeconds = 0;
      if (lagEvents > 0) {
        this.backlogSince ??= at;
        // The oldest unapplied event sits just above the ack floor.
        const oldest = await this.jsm.streams.getMessage(this.names.eventsStream, { seq: info.ack_floor.stream_seq + 1 }).catch(() => null);
        lagSeconds = oldest ? Math.max(0, (at.getTime() - oldest.time.getTime()) / 1000) : (this.last?.lagSeconds ?? 0);
      } else {
        this.backlogSince = undefined;
      }
      await this.repository.recordHeartbeat(lagEvents, lagSeconds, at);
      this.last = { lagEvents, lagSeconds, at };
      this.lastError = undefined;
      projectorMetrics.lagEvents.set(lagEvents);
      projectorMetrics.lagSeconds.set(lagSeconds);
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastError) this.logger.warn(`heartbeat failed: ${message}`);
      this.lastError = message;
    }
  }

  /**
   * Readiness of the fold: not ready before the first heartbeat, when heartbeats stopped, when the
   * consumer is not running, or when a backlog has seen no progress for PROJECTOR_STALL_SECONDS.
   */
  healthCheck(): HealthCheck {
    return {
      name: 'projector',
      check: async () => {
        const now = Date.now();
        const stallMs = this.config.PROJECTOR_STALL_SECONDS * 1_000;
        const progress = this.consumer.progress();
        const detail: Record<string, unknown> = {
          lagEvents: this.last?.lagEvents ?? null,
          lagSeconds: this.last?.lagSeconds ?? null,
          heartbeatAt: this.last?.at.toISOString() ?? null,
          lastProgressAt: progress.lastProgressAt.toISOString(),
          position: progress.position,
        };
        const fail = (reason: string) => ({ ok: false, detail: { ...detail, reason } });
        if (!this.last) return fail(this.lastError ? `no heartbeat yet: ${this.lastError}` : 'no heartbeat yet');
        if (now - this.last.at.getTime() > Math.max(stallMs, 3 * HEARTBEAT_MS)) {
          return fail(`no heartbeat since ${this.last.at.toISOString()}${this.lastError ? `: ${this.lastError}` : ''}`);
        }
        if (!progress.running) return fail('the consumer is not running');
        if (this.last.lagEvents > 0 && this.backlogSince) {
          const since = Math.max(progress.lastProgressAt.getTime(), this.backlogSince.getTime());
          if (now - since > stallMs) {
            return fail(`stalled: ${this.last.lagEvents} events waiting and no progress for ${Math.round((now - since) / 1000)} s`);
          }
        }
        return { ok: true, detail };
      },
    };
  }
}
