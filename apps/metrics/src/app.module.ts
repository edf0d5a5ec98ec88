import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { METRICS_CONFIG, METRICS_SCHEMA, type MetricsConfig } from './config/metrics.config.js';
import { MetricsCommands } from './controllers/metrics.commands.js';
import { LatencyMetricsRepository } from './repositories/latency-metrics.repository.js';
import { MetricsLogRepository } from './repositories/metrics-log.repository.js';
import { LatencyCollectionSchedule } from './schedules/latency-collection.schedule.js';
import { CollectLatencyMetricsUseCase } from './use-cases/collect-latency-metrics/collect-latency-metrics.use-case.js';
import { DescribeMetricsUseCase } from './use-cases/describe-metrics/describe-metrics.use-case.js';
import { GetLatencyHistoryUseCase } from './use-cases/get-latency-history/get-latency-history.use-case.js';
import { GetLatencyMetricsUseCase } from './use-cases/get-latency-metrics/get-latency-metrics.use-case.js';
import { GetMetricsHealthUseCase } from './use-cases/get-metrics-health/get-metrics-health.use-case.js';
import { ReadResourceMetricsUseCase } from './use-cases/read-resource-metrics/read-resource-metrics.use-case.js';

@Module({})
export class MetricsModule {
  /** `schedule: false` leaves the scheduled collection out (the one-off `collect` command). */
  static forRoot(config: MetricsConfig, options: { schedule?: boolean } = {}): DynamicModule {
    return {
      module: MetricsModule,
      imports: [ServiceInfrastructureModule.forRoot({ name: 'metrics', schema: METRICS_SCHEMA, config })],
      controllers: [MetricsCommands],
      providers: [
        { provide: METRICS_CONFIG, useValue: config },
        MetricsLogRepository,
        LatencyMetricsRepository,
        DescribeMetricsUseCase,
        CollectLatencyMetricsUseCase,
        GetLatencyMetricsUseCase,
        GetLatencyHistoryUseCase,
        GetMetricsHealthUseCase,
        ReadResourceMetricsUseCase,
        ...(options.schedule === false ? [] : [LatencyCollectionSchedule]),
      ],
    };
  }
}
