import { type DynamicModule, Module } from '@nestjs/common';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-environment.js';
import { StageHostFactory } from './stage-host.factory.js';

/** A stage service's job machinery: its warm worker pool, queue and leases, behind StageHostFactory. */
@Module({})
export class JobsModule {
  static forRoot(settings: JobsSettings): DynamicModule {
    return {
      module: JobsModule,
      providers: [{ provide: JOBS_SETTINGS, useValue: settings }, StageHostFactory],
      exports: [StageHostFactory],
    };
  }
}
