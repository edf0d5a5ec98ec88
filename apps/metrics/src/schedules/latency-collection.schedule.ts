import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { METRICS_CONFIG, type MetricsConfig } from '../config/metrics.config.js';
import { LatencyMetricsRepository } from '../repositories/latency-metrics.repository.js';
import { CollectLatencyMetricsUseCase } from '../use-cases/collect-latency-metrics/collect-latency-metrics.use-case.js';

/**
 * Runs the latency collection on `METRICS_COLLECT_SCHEDULE`. Every replica runs the schedule; the
 * first to claim a tick in Postgres collects it, so a tick is collected once however many run.
 */
@Injectable()
export class LatencyCollectionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('metrics');
  private job?: Cron;
  private running?: Promise<void>;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: Pick<MetricsConfig, 'METRICS_COLLECT_SCHEDULE'>,
    private readonly repository: LatencyMetricsRepository,
    private readonly collect: CollectLatencyMetricsUseCase,
  ) {}

  onApplicationBootstrap(): void {
    // protect: a tick that comes while the last one still runs (a slow Prometheus) is skipped, not stacked.
    this.job = new Cron(this.config.METRICS_COLLECT_SCHEDULE, { name: 'latency-collection', protect: true }, () => {
      this.running = this.tick();
      return this.running;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.job?.stop();
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      // The scheduled instant of this tick (not when this replica's timer fired): the same on every replica.
      const slot = this.job!.previousRuns(1, new Date())[0] ?? new Date();
      slot.setMilliseconds(0);
      if (!(await this.repository.claimSlot(slot))) return;
      await this.collect.execute({ trigger: 'schedule', actor: 'service:metrics', correlationId: randomUUID() });
    } catch (error) {
      // The collection records Prometheus failures itself; this is Postgres being away. The next tick tries again.
      this.logger.error(`scheduled latency collection could not run: ${(error as Error).message}`);
    }
  }
}
