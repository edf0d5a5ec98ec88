import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type StopKitRunResult, type StopKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { cancel, isFinished } from '../../domain/deck-job.js';
import { DeckRunRepository } from '../../repositories/deck-run.repository.js';
import { CollectDeckUseCase } from '../collect-deck/collect-deck.use-case.js';
import { commandMetadata } from '../command-metadata.js';

const ATTEMPTS = 3;

/** StopKitRun: the run's pending or running deck job ends CANCELLED; a finished one is left as it is. */
@Injectable()
export class StopKitRunUseCase {
  constructor(
    private readonly runs: DeckRunRepository,
    private readonly collect: CollectDeckUseCase,
  ) {}

  async execute(command: CommandMessage<StopKitRunV1>): Promise<StopKitRunResult> {
    const { runId, reason } = command.payload;
    for (let attempt = 1; ; attempt++) {
      const run = await this.runs.load(runId);
      if (!run) throw new NotFoundError(`run ${runId} does not exist`);
      const job = run.job;
      if (!job || isFinished(job.status)) return { runId, cancelledJobIds: [] };
      const event = cancel(job, reason ?? `stopped by ${command.actor}`, new Date());
      try {
        await this.runs.append(
          runId,
          run.version,
          [{ type: event.type, data: event.data }],
          commandMetadata(command, { kitId: job.kitId, runId, jobId: job.jobId }),
        );
      } catch (error) {
        // The job moved meanwhile (started or finished): decide again on its new state.
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
      this.collect.abort(runId, 'cancelled');
      return { runId, cancelledJobIds: [job.jobId] };
    }
  }
}
