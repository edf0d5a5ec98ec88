import { Controller } from '@nestjs/common';
import {
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
}
