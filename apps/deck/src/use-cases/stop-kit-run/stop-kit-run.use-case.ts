import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type StopKitRunResult, type StopKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore, type NewEvent } from '@vista/event-store';
import { cancel, isFinished } from '../../domain/deck-job.js';
import { DeckRunRepository, runStreamId } from '../../repositories/deck-run.repository.js';
import { CollectDeckUseCase } from '../collect-deck/collect-deck.use-case.js';
import { commandMetadata } from '../command-metadata.js';
import { IdempotentCommands } from '../idempotent-commands.js';

const ATTEMPTS = 3;

/**
 * StopKitRun: records KitRunStopped (each stage service cancels its own pending or running job when it
 * sees it) and, in the same append, cancels the run's deck job if it is still pending or running.
 */
@Injectable()
export class StopKitRunUseCase {
  constructor(
    private readonly runs: DeckRunRepository,
    private readonly store: EventStore,
    private readonly idempotent: IdempotentCommands,
    private readonly collect: CollectDeckUseCase,
  ) {}

  async execute(command: CommandMessage<StopKitRunV1>): Promise<StopKitRunResult> {
    const { runId } = command.payload;
    const reason = command.payload.reason?.trim() || `stopped by ${command.actor}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, replayed } = await this.idempotent.execute(command, 'StopKitRun', async () => {
          const run = await this.runs.load(runId);
          if (!run) throw new NotFoundError(`run ${runId} does not exist`);
          const job = run.job;
          const now = new Date();
          // The stop is the run's: every stage service sees KitRunStopped and cancels its own job.
          const events: NewEvent[] = [{ type: 'KitRunStopped', data: { kitId: run.run.kitId, runId, stoppedAt: now.toISOString(), reason } }];
          const cancelsDeckJob = job !== undefined && !isFinished(job.status);
          if (cancelsDeckJob) {
            const cancelled = cancel(job, reason, now);
            events.push({ type: cancelled.type, data: cancelled.data });
          }
          const metadata = commandMetadata(command, { kitId: run.run.kitId, runId, ...(job ? { jobId: job.jobId } : {}) });
          return async (trx) => {
            await this.store.append({ streamId: runStreamId(runId), expectedVersion: run.version, events }, metadata, trx);
            return { runId, cancelledJobIds: cancelsDeckJob ? [job.jobId] : [] };
          };
        });
        if (!replayed && result.cancelledJobIds.length > 0) this.collect.abort(runId, 'cancelled');
        return result;
      } catch (error) {
        // The job moved meanwhile (started or finished): decide again on its new state.
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }
}
