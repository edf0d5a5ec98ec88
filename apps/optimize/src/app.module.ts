import { type DynamicModule, Module } from '@nestjs/common';
import { JobsModule } from '@vista/jobs';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { OPTIMIZE_CONFIG, OPTIMIZE_SCHEMA, type OptimizeConfig } from './config/optimize.config.js';
import { OptimizeHandlers } from './handlers/optimize.handlers.js';
import { OptimizeStage } from './handlers/optimize.stage.js';
import { ResultRepository } from './repositories/result.repository.js';
import { OPTIMIZATION_WORKER, RunOptimizationUseCase } from './use-cases/run-optimization/run-optimization.use-case.js';

@Module({})
export class OptimizeModule {
  static forRoot(config: OptimizeConfig): DynamicModule {
    return {
      module: OptimizeModule,
      imports: [
        ServiceInfrastructureModule.forRoot({ name: 'optimize', schema: OPTIMIZE_SCHEMA, config }),
        JobsModule.forRoot('optimize', config, { preload: OPTIMIZATION_WORKER }),
      ],
      providers: [{ provide: OPTIMIZE_CONFIG, useValue: config }, ResultRepository, RunOptimizationUseCase, OptimizeStage, OptimizeHandlers],
    };
  }
}
