import { type DynamicModule, Module } from '@nestjs/common';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './projector.config.js';

/** Makes the validated configuration injectable everywhere (`@Inject(PROJECTOR_CONFIG)`). */
@Module({})
export class ProjectorConfigModule {
  static forRoot(config: ProjectorConfig): DynamicModule {
    return {
      module: ProjectorConfigModule,
      global: true,
      providers: [{ provide: PROJECTOR_CONFIG, useValue: config }],
      exports: [PROJECTOR_CONFIG],
    };
  }
}
