import { Inject, Injectable } from '@nestjs/common';
import type { DescribeLotTrackingResult, DescribeLotTrackingV1 } from '@vista/contracts';
import { LOT_TRACKING_CONFIG, LOT_TRACKING_SCHEMA, type LotTrackingConfig } from '../../config/lot-tracking.config.js';
import { LotTrackingLogRepository } from '../../repositories/lot-tracking-log.repository.js';

/** DescribeLotTracking: the service's name, schema and port, and what its schema holds now. */
@Injectable()
export class DescribeLotTrackingUseCase {
  constructor(
    @Inject(LOT_TRACKING_CONFIG) private readonly config: Pick<LotTrackingConfig, 'HTTP_PORT'>,
    private readonly log: LotTrackingLogRepository,
  ) {}

  async execute(command: DescribeLotTrackingV1): Promise<DescribeLotTrackingResult> {
    const answer = { service: 'lot-tracking', schema: LOT_TRACKING_SCHEMA, httpPort: this.config.HTTP_PORT, events: await this.log.eventCount() } as const;
    return command.withMigrations ? { ...answer, migrations: await this.log.appliedMigrations() } : answer;
  }
}
