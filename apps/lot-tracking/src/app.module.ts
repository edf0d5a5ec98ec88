import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { MlClient, commandClientProvider } from './commands/ml.client.js';
import { LOT_TRACKING_CONFIG, LOT_TRACKING_SCHEMA, type LotTrackingConfig } from './config/lot-tracking.config.js';
import { LotTrackingCommands } from './controllers/lot-tracking.commands.js';
import { BatchRepository } from './repositories/batch.repository.js';
import { LotRowsRepository } from './repositories/lot-rows.repository.js';
import { LotTrackingLogRepository } from './repositories/lot-tracking-log.repository.js';
import { ModelCatalogRepository } from './repositories/model-catalog.repository.js';
import { LotBatchSchedule } from './schedules/lot-batch.schedule.js';
import { AddLotRowsUseCase } from './use-cases/add-lot-rows/add-lot-rows.use-case.js';
import { ChangeLotRowUseCase } from './use-cases/change-lot-row/change-lot-row.use-case.js';
import { DescribeLotTrackingUseCase } from './use-cases/describe-lot-tracking/describe-lot-tracking.use-case.js';
import { QueryLotsUseCase } from './use-cases/query-lots/query-lots.use-case.js';
import { RunLotBatchUseCase } from './use-cases/run-lot-batch/run-lot-batch.use-case.js';

@Module({})
export class LotTrackingModule {
  /** `schedule: false` leaves the scheduled batch out (the one-off `batch` command). */
  static forRoot(config: LotTrackingConfig, options: { schedule?: boolean } = {}): DynamicModule {
    const schedule = options.schedule ?? config.LOT_BATCH_SCHEDULE_ENABLED === 'on';
    return {
      module: LotTrackingModule,
      imports: [ServiceInfrastructureModule.forRoot({ name: 'lot-tracking', schema: LOT_TRACKING_SCHEMA, config })],
      controllers: [LotTrackingCommands],
      providers: [
        { provide: LOT_TRACKING_CONFIG, useValue: config },
        commandClientProvider,
        MlClient,
        LotTrackingLogRepository,
        LotRowsRepository,
        ModelCatalogRepository,
        BatchRepository,
        DescribeLotTrackingUseCase,
        AddLotRowsUseCase,
        ChangeLotRowUseCase,
        QueryLotsUseCase,
        RunLotBatchUseCase,
        ...(schedule ? [LotBatchSchedule] : []),
      ],
    };
  }
}
