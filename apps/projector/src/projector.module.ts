import { Module } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@vista/db';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './config/projector.config.js';
import { ProjectorCommandsController } from './controllers/projector-commands.controller.js';
import { FoldLock } from './handlers/fold.lock.js';
import { ProjectorConsumer } from './handlers/projector.consumer.js';
import { ProjectorHeartbeat } from './handlers/projector.heartbeat.js';
import { DeadLetters } from './dead-letters/dead-letters.js';
import { Reconciler } from './reconcile/reconciler.js';
import { ReadModelRepository } from './repositories/read-model.repository.js';
import { RebuildReadModelUseCase } from './use-cases/rebuild-read-model/rebuild-read-model.use-case.js';

/** The fold, its heartbeat and the rebuild, over the live read schema. */
@Module({
  controllers: [ProjectorCommandsController],
  providers: [
    FoldLock,
    {
      provide: ReadModelRepository,
      inject: [DATABASE, PROJECTOR_CONFIG],
      useFactory: (db: Kysely<any>, config: ProjectorConfig) => new ReadModelRepository(db, config.READ_SCHEMA),
    },
    ProjectorConsumer,
    ProjectorHeartbeat,
    RebuildReadModelUseCase,
    Reconciler,
    DeadLetters,
  ],
  exports: [DeadLetters, ReadModelRepository, ProjectorConsumer, ProjectorHeartbeat, RebuildReadModelUseCase, Reconciler],
})
export class ProjectorModule {}
