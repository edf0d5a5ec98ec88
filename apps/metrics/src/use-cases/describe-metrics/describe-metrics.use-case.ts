import { Inject, Injectable } from '@nestjs/common';
import type { DescribeMetricsResult, DescribeMetricsV1 } from '@vista/contracts';
import { METRICS_CONFIG, METRICS_SCHEMA, type MetricsConfig } from '../../config/metrics.config.js';
import { MetricsLogRepository } from '../../repositories/metrics-log.repository.js';

/** DescribeMetrics: the service's name, schema and port, and what its schema holds now. */
@Injectable()
export class DescribeMetricsUseCase {
  constructor(
    @Inject(METRICS_CONFIG) private readonly config: Pick<MetricsConfig, 'HTTP_PORT'>,
    private readonly log: MetricsLogRepository,
  ) {}

  async execute(command: DescribeMetricsV1): Promise<DescribeMetricsResult> {
    const answer = { service: 'metrics', schema: METRICS_SCHEMA, httpPort: this.config.HTTP_PORT, events: await this.log.eventCount() } as const;
    return command.withMigrations ? { ...answer, migrations: await this.log.appliedMigrations() } : answer;
  }
}
