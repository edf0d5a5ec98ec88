import { Controller } from '@nestjs/common';
import {
  ArchiveDeck,
  type ArchiveDeckV1,
  ArchiveKit,
  type ArchiveKitV1,
  CreateKit,
  type CreateKitV1,
  CreateProject,
  type CreateProjectResult,
  type CreateProjectV1,
  type DeckProfileResult,
  ExportDeck,
  type ExportDeckResult,
  type ExportDeckV1,
  type KitDefinitionResult,
  UpdateDeck,
  type UpdateDeckV1,
  UpdateKit,
  type UpdateKitV1,
  IngestDeck,
  type IngestDeckResult,
  type IngestDeckV1,
  RetryKitRun,
  type RetryKitRunResult,
  type RetryKitRunV1,
  StartKitRun,
  type StartKitRunResult,
  type StartKitRunV1,
  StopKitRun,
  type StopKitRunResult,
  type StopKitRunV1,
} from '@vista/contracts';
import { type CommandMessage, CommandInput, OnCommand } from '@vista/bus';
import { ArchiveDeckUseCase } from '../use-cases/archive-deck/archive-deck.use-case.js';
import { ArchiveKitUseCase } from '../use-cases/archive-kit/archive-kit.use-case.js';
import { CreateKitUseCase } from '../use-cases/create-kit/create-kit.use-case.js';
import { CreateProjectUseCase } from '../use-cases/create-project/create-project.use-case.js';
import { ExportDeckUseCase } from '../use-cases/export-deck/export-deck.use-case.js';
import { UpdateDeckUseCase } from '../use-cases/update-deck/update-deck.use-case.js';
import { UpdateKitUseCase } from '../use-cases/update-kit/update-kit.use-case.js';
import { IngestDeckUseCase } from '../use-cases/ingest-deck/ingest-deck.use-case.js';
import { RetryKitRunUseCase } from '../use-cases/retry-kit-run/retry-kit-run.use-case.js';
import { StartKitRunUseCase } from '../use-cases/start-kit-run/start-kit-run.use-case.js';
import { StopKitRunUseCase } from '../use-cases/stop-kit-run/stop-kit-run.use-case.js';

/** The deck service's commands (NATS request/reply, queue group `deck`). */
@Controller()
export class DeckCommands {
  constructor(
    private readonly ingestDeck: IngestDeckUseCase,
    private readonly startKitRun: StartKitRunUseCase,
    private readonly stopKitRun: StopKitRunUseCase,
    private readonly retryKitRun: RetryKitRunUseCase,
    private readonly updateDeck: UpdateDeckUseCase,
    private readonly archiveDeck: ArchiveDeckUseCase,
    private readonly exportDeck: ExportDeckUseCase,
    private readonly createKit: CreateKitUseCase,
    private readonly updateKit: UpdateKitUseCase,
    private readonly archiveKit: ArchiveKitUseCase,
    private readonly createProject: CreateProjectUseCase,
  ) {}

  @OnCommand(IngestDeck)
  onIngestDeck(@CommandInput(IngestDeck) command: CommandMessage<IngestDeckV1>): Promise<IngestDeckResult> {
    return this.ingestDeck.execute(command);
  }

  @OnCommand(StartKitRun)
  onStartKitRun(@CommandInput(StartKitRun) command: CommandMessage<StartKitRunV1>): Promise<StartKitRunResult> {
    return this.startKitRun.execute(command);
  }

  @OnCommand(RetryKitRun)
  onRetryKitRun(@CommandInput(RetryKitRun) command: CommandMessage<RetryKitRunV1>): Promise<RetryKitRunResult> {
    return this.retryKitRun.execute(command);
  }

  @OnCommand(StopKitRun)
  onStopKitRun(@CommandInput(StopKitRun) command: CommandMessage<StopKitRunV1>): Promise<StopKitRunResult> {
    return this.stopKitRun.execute(command);
  }

  @OnCommand(UpdateDeck)
  onUpdateDeck(@CommandInput(UpdateDeck) command: CommandMessage<UpdateDeckV1>): Promise<DeckProfileResult> {
    return this.updateDeck.execute(command);
  }

  @OnCommand(ArchiveDeck)
  onArchiveDeck(@CommandInput(ArchiveDeck) command: CommandMessage<ArchiveDeckV1>): Promise<DeckProfileResult> {
    return this.archiveDeck.execute(command);
  }

  @OnCommand(ExportDeck)
  onExportDeck(@CommandInput(ExportDeck) command: CommandMessage<ExportDeckV1>): Promise<ExportDeckResult> {
    return this.exportDeck.execute(command);
  }

  @OnCommand(CreateKit)
  onCreateKit(@CommandInput(CreateKit) command: CommandMessage<CreateKitV1>): Promise<KitDefinitionResult> {
    return this.createKit.execute(command);
  }

  @OnCommand(UpdateKit)
  onUpdateKit(@CommandInput(UpdateKit) command: CommandMessage<UpdateKitV1>): Promise<KitDefinitionResult> {
    return this.updateKit.execute(command);
  }

  @OnCommand(ArchiveKit)
  onArchiveKit(@CommandInput(ArchiveKit) command: CommandMessage<ArchiveKitV1>): Promise<KitDefinitionResult> {
    return this.archiveKit.execute(command);
  }

  @OnCommand(CreateProject)
  onCreateProject(@CommandInput(CreateProject) command: CommandMessage<CreateProjectV1>): Promise<CreateProjectResult> {
    return this.createProject.execute(command);
  }
}
