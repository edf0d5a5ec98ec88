import { Injectable } from '@nestjs/common';
import { NotFoundError, type StopKitRunResult, type StopKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { DeckStage } from '../../handlers/deck.stage.js';
import { runControl } from '../run-control.js';

/**
 * StopKitRun: records KitRunStopped (each stage service cancels its own queued or running job when it
 * sees it) and, in the same append, cancels the run's deck job if it is still queued or running.
 */
@Injectable()
export class StopKitRunUseCase {
  constructor(private readonly stage: DeckStage) {}

  async execute(command: CommandMessage<StopKitRunV1>): Promise<StopKitRunResult> {
    const { runId } = command.payload;
    const run = await this.stage.runner.load(runId);
    if (!run.job) throw new NotFoundError(`run ${runId} does not exist`);
    const reason = command.payload.reason?.trim() || `stopped by ${command.actor}`;
    const control = runControl(command, run, reason);
    const cancelled = await this.stage.runner.stop(control, [
      { type: 'KitRunStopped', data: { kitId: run.job.kitId, runId, stoppedAt: new Date().toISOString(), reason } },
    ]);
    return { runId, cancelledJobIds: cancelled ? [cancelled.jobId] : [] };
  }
}
