import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type RetryKitRunResult, type RetryKitRunV1, isTerminal } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { DeckStage } from '../../handlers/deck.stage.js';
import { IdempotentCommands } from '../idempotent-commands.js';
import { runControl } from '../run-control.js';

const ATTEMPTS = 3;

/**
 * RetryKitRun: records KitRunRetried, which the stage whose job failed, timed out or was cancelled
 * answers with a new attempt; when that stage is the deck collection, its new attempt is requested and
 * queued here in the same append.
 */
@Injectable()
export class RetryKitRunUseCase {
  constructor(
    private readonly stage: DeckStage,
    private readonly idempotent: IdempotentCommands,
  ) {}

  async execute(command: CommandMessage<RetryKitRunV1>): Promise<RetryKitRunResult> {
    const { runId, reason } = command.payload;
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, replayed } = await this.idempotent.execute(command, 'RetryKitRun', async () => {
          const run = await this.stage.runner.load(runId);
          const job = run.job;
          if (!job) throw new NotFoundError(`run ${runId} does not exist`);
          if (!isTerminal(job.status)) {
            throw new ConflictError(`run ${runId} is still collecting its deck (attempt ${job.attempt} is ${job.status}); stop it before retrying`);
          }
          const kitId = job.kitId;
          const retried = { type: 'KitRunRetried', data: { kitId, runId, retriedAt: new Date().toISOString(), ...(reason ? { reason } : {}) } };
          return async (trx) => {
            await this.stage.runner.retry(runControl(command, run, reason), [retried], trx);
            return { runId, kitId };
          };
        });
        // A new deck attempt was queued in the command's transaction: take it now that it is committed.
        if (!replayed) this.stage.runner.pump();
        return result;
      } catch (error) {
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }
}
