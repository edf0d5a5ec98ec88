import { type DynamicModule, Module } from '@nestjs/common';
import { JobsModule } from '@vista/jobs';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { DECK_CONFIG, DECK_SCHEMA, type DeckConfig } from './config/deck.config.js';
import { DeckCommands } from './controllers/deck.commands.js';
import { DeckStage } from './handlers/deck.stage.js';
import { DeckRepository } from './repositories/deck.repository.js';
import { IdempotentCommandRepository } from './repositories/idempotent-command.repository.js';
import { UploadStore } from './uploads/upload-store.js';
import { CollectDeckUseCase } from './use-cases/collect-deck/collect-deck.use-case.js';
import { IdempotentCommands } from './use-cases/idempotent-commands.js';
import { PARSE_DECK_WORKER, DeckIngestion } from './use-cases/ingest-deck/deck-ingestion.js';
import { IngestDeckUseCase } from './use-cases/ingest-deck/ingest-deck.use-case.js';
import { RetryKitRunUseCase } from './use-cases/retry-kit-run/retry-kit-run.use-case.js';
import { StartKitRunUseCase } from './use-cases/start-kit-run/start-kit-run.use-case.js';
import { StopKitRunUseCase } from './use-cases/stop-kit-run/stop-kit-run.use-case.js';
import { KitIdRepository } from './repositories/kit-id.repository.js';
import { ArchiveDeckUseCase } from './use-cases/archive-deck/archive-deck.use-case.js';
import { ArchiveKitUseCase } from './use-cases/archive-kit/archive-kit.use-case.js';
import { CreateKitUseCase } from './use-cases/create-kit/create-kit.use-case.js';
import { CreateProjectUseCase } from './use-cases/create-project/create-project.use-case.js';
import { ExportDeckUseCase } from './use-cases/export-deck/export-deck.use-case.js';
import { ResourceStreams } from './use-cases/resource-streams.js';
import { UpdateDeckUseCase } from './use-cases/update-deck/update-deck.use-case.js';
import { UpdateKitUseCase } from './use-cases/update-kit/update-kit.use-case.js';

@Module({})
export class DeckModule {
  static forRoot(config: DeckConfig): DynamicModule {
    return {
      module: DeckModule,
      imports: [
        ServiceInfrastructureModule.forRoot({ name: 'deck', schema: DECK_SCHEMA, config }),
        JobsModule.forRoot('deck', config, { preload: PARSE_DECK_WORKER }),
      ],
      controllers: [DeckCommands],
      providers: [
        { provide: DECK_CONFIG, useValue: config },
        DeckRepository,
        IdempotentCommandRepository,
        IdempotentCommands,
        UploadStore,
        DeckIngestion,
        CollectDeckUseCase,
        DeckStage,
        IngestDeckUseCase,
        StartKitRunUseCase,
        StopKitRunUseCase,
        RetryKitRunUseCase,
        KitIdRepository,
        ResourceStreams,
        UpdateDeckUseCase,
        ArchiveDeckUseCase,
        ExportDeckUseCase,
        CreateKitUseCase,
        UpdateKitUseCase,
        ArchiveKitUseCase,
        CreateProjectUseCase,
      ],
    };
  }
}
