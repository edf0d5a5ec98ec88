import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { LOT_TRACKING_CONFIG, type LotTrackingConfig } from '../config/lot-tracking.config.js';
import { utcDate } from '../domain/batch-inputs.js';
import { BatchRepository } from '../repositories/batch.repository.js';
import { RunLotBatchUseCase } from '../use-cases/run-lot-batch/run-lot-batch.use-case.js';

/**
 * Runs the daily batch on `LOT_BATCH_SCHEDULE` (UTC) for the tick's UTC date. Every replica runs the
 * schedule; the first to claim a tick in Postgres runs it, so a tick runs once however many replicas fire.
 */
@Injectable()
export class LotBatchSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('lot-tracking');
  private job?: Cron;
  private running?: Promise<void>;

  constructor(
    @Inject(LOT_TRACKING_CONFIG) private readonly config: Pick<LotTrackingConfig, 'LOT_BATCH_SCHEDULE'>,
    private readonly batches: BatchRepository,
    private readonly batch: RunLotBatchUseCase,
  ) {}

  onApplicationBootstrap(): void {
    // protect: a tick while the last batch still runs is skipped, not stacked.
    this.job = new Cron(this.config.LOT_BATCH_SCHEDULE, { name: 'lot-batch', protect: true, timezone: 'UTC' }, () => {
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
      if (!(await this.batches.claimSlot(slot))) return;
      const result = await this.batch.execute({ businessDate: utcDate(slot), trigger: 'schedule', actor: 'service:lot-tracking', correlationId: randomUUID() });
      this.logger.log(`scheduled batch ${result.businessDate}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
    } catch (error) {
      // A batch records its own failures; this is Postgres away or a batch already running. The next tick tries again.
      this.logger.error(`scheduled batch could not run: ${(error as Error).message}`);
    }
  }
}
