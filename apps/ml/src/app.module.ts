import { type DynamicModule, Module } from '@nestjs/common';
import { JobsModule } from '@vista/jobs';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { ML_CONFIG, ML_SCHEMA, type MlConfig } from './config/ml.config.js';
import { MlCommands } from './controllers/ml.commands.js';
import { MlHandlers } from './handlers/ml.handlers.js';
import { MlStage } from './handlers/ml.stage.js';
import { ModelRepository } from './repositories/model.repository.js';
import { PredictWithModelUseCase } from './use-cases/predict-with-model/predict-with-model.use-case.js';
import { PIPELINE_WORKER, RunMlUseCase } from './use-cases/run-ml/run-ml.use-case.js';

@Module({})
export class MlModule {
  static forRoot(config: MlConfig): DynamicModule {
    return {
      module: MlModule,
      imports: [ServiceInfrastructureModule.forRoot({ name: 'ml', schema: ML_SCHEMA, config }), JobsModule.forRoot('ml', config, { preload: PIPELINE_WORKER })],
      controllers: [MlCommands],
      providers: [{ provide: ML_CONFIG, useValue: config }, ModelRepository, RunMlUseCase, PredictWithModelUseCase, MlStage, MlHandlers],
    };
  }
}
