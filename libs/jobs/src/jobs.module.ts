import { type DynamicModule, Module } from '@nestjs/common';
import type { JobType } from '@vista/contracts';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-environment.js';
import { queuePositionsCommands } from './queue-positions.commands.js';
import { StageHostFactory } from './stage-host.factory.js';

/**
 * A stage service's job machinery: its warm worker pool, queue and leases, behind StageHostFactory, and
 * its answer to where a queued job stands (GetQueuePositions on the stage's own subject).
 */
@Module({})
export class JobsModule {
  /** `preload`: the stage's main worker module, which every worker loads as it starts. */
  static forRoot(stage: JobType, settings: JobsSettings, options: { preload?: URL } = {}): DynamicModule {
    return {
      module: JobsModule,
      controllers: [queuePositionsCommands(stage)],
      providers: [{ provide: JOBS_SETTINGS, useValue: { ...settings, preload: options.preload } }, StageHostFactory],
      exports: [StageHostFactory],
    };
  }
}
