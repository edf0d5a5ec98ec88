import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type StopKitRunResult, type StopKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { DeckStage } from '../../handlers/deck.stage.js';
import { IdempotentCommands } from '../idempotent-commands.js';
import { runControl } from '../run-control.js';

const ATTEMPTS = 3;

/**
 * StopKitRun: records KitRunStopped (each stage service cancels its own queued or running job when it
 * sees it) and, in the same append, cancels the run's deck job if it is still queued or running.
 */
@Injectable()
export class StopKitRunUseCase {
  constructor(
    private readonly stage: DeckStage,
    private readonly idempotent: IdempotentCommands,
  ) {}

  async execute(command: CommandMessage<StopKitRunV1>): Promise<StopKitRunResult> {
    const { runId } = command.payload;
    const reason = command.payload.reason?.trim() || `stopped by ${command.actor}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const { result } = await this.idempotent.execute(command, 'StopKitRun', async () => {
          const run = await this.stage.runner.load(runId);
          if (!run.job) throw new NotFoundError(`run ${runId} does not exist`);
          const kitId = run.job.kitId;
          // The stop is the run's: every stage service sees KitRunStopped and cancels its own job.
          const stopped = { type: 'KitRunStopped', data: { kitId, runId, stoppedAt: new Date().toISOString(), reason } };
          return async (trx) => {
            const cancelled = await this.stage.runner.stop(runControl(command, run, reason), [stopped], trx);
            return { runId, cancelledJobIds: cancelled ? [cancelled.jobId] : [] };
          };
        });
        return result;
      } catch (error) {
        // The job moved meanwhile (started or finished): decide again on its new state.
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }
}
