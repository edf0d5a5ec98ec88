import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type RetryKitRunResult, type RetryKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { isActive } from '@vista/jobs';
import { DeckStage } from '../../handlers/deck.stage.js';
import { runControl } from '../run-control.js';

/**
 * RetryKitRun: records KitRunRetried, which the stage whose job failed, timed out or was cancelled
 * answers with a new attempt; when that stage is the deck collection, its new attempt is requested and
 * queued here in the same append.
 */
@Injectable()
export class RetryKitRunUseCase {
  constructor(private readonly stage: DeckStage) {}

  async execute(command: CommandMessage<RetryKitRunV1>): Promise<RetryKitRunResult> {
    const { runId, reason } = command.payload;
    const run = await this.stage.runner.load(runId);
    const job = run.job;
    if (!job) throw new NotFoundError(`run ${runId} does not exist`);
    const kitId = job.kitId;
    if (isActive(job)) {
      throw new ConflictError(`run ${runId} is still collecting its deck (attempt ${job.attempt} is ${job.status}); stop it before retrying`);
    }
    await this.stage.runner.retry(runControl(command, run, reason), [
      { type: 'KitRunRetried', data: { kitId, runId, retriedAt: new Date().toISOString(), ...(reason ? { reason } : {}) } },
    ]);
    return { runId, kitId };
  }
}
