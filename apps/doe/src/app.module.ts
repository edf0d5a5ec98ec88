import { type DynamicModule, Module } from '@nestjs/common';
import { JobsModule } from '@vista/jobs';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { DOE_CONFIG, DOE_SCHEMA, type DoeConfig } from './config/doe.config.js';
import { DoeHandlers } from './handlers/doe.handlers.js';
import { DoeStage } from './handlers/doe.stage.js';
import { ExternalEvaluator } from './labelling/external-evaluator.js';
import { DatasetRepository } from './repositories/dataset.repository.js';
import { DESIGN_WORKER, RunDoeUseCase } from './use-cases/run-doe/run-doe.use-case.js';

@Module({})
export class DoeModule {
  static forRoot(config: DoeConfig): DynamicModule {
    return {
      module: DoeModule,
      imports: [
        ServiceInfrastructureModule.forRoot({ name: 'doe', schema: DOE_SCHEMA, config }),
        JobsModule.forRoot('doe', config, { preload: DESIGN_WORKER }),
      ],
      providers: [{ provide: DOE_CONFIG, useValue: config }, DatasetRepository, ExternalEvaluator, RunDoeUseCase, DoeStage, DoeHandlers],
    };
  }
}
