import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type RetryKitRunResult, type RetryKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore, type NewEvent } from '@vista/event-store';
import { DECK_CONFIG, type DeckConfig } from '../../config/deck.config.js';
import { RETRYABLE_DECK_JOB_STATUSES, retry } from '../../domain/deck-job.js';
import { DeckRunRepository, runStreamId } from '../../repositories/deck-run.repository.js';
import { CollectDeckUseCase } from '../collect-deck/collect-deck.use-case.js';
import { commandMetadata } from '../command-metadata.js';
import { IdempotentCommands } from '../idempotent-commands.js';

const ATTEMPTS = 3;

/**
 * RetryKitRun: records KitRunRetried, which the stage whose job failed, timed out or was cancelled
 * answers with a new attempt; when that stage is the deck collection, the new attempt is appended here
 * in the same append.
 */
@Injectable()
export class RetryKitRunUseCase {
  constructor(
    @Inject(DECK_CONFIG) private readonly config: DeckConfig,
    private readonly runs: DeckRunRepository,
    private readonly store: EventStore,
    private readonly idempotent: IdempotentCommands,
    private readonly collect: CollectDeckUseCase,
  ) {}

  async execute(command: CommandMessage<RetryKitRunV1>): Promise<RetryKitRunResult> {
    const { runId, reason } = command.payload;
    for (let attempt = 1; ; attempt++) {
      let retriesDeckJob = false;
      try {
        const { result, replayed } = await this.idempotent.execute(command, 'RetryKitRun', async () => {
          const run = await this.runs.load(runId);
          if (!run) throw new NotFoundError(`run ${runId} does not exist`);
          const job = run.job;
          if (job && (job.status === 'PENDING' || job.status === 'RUNNING')) {
            throw new ConflictError(`run ${runId} is still collecting its deck (attempt ${job.attempt} is ${job.status}); stop it before retrying`);
          }
          const now = new Date();
          const kitId = run.run.kitId;
          const events: NewEvent[] = [{ type: 'KitRunRetried', data: { kitId, runId, retriedAt: now.toISOString(), ...(reason ? { reason } : {}) } }];
          retriesDeckJob = job !== undefined && (RETRYABLE_DECK_JOB_STATUSES as readonly string[]).includes(job.status);
          if (retriesDeckJob && job) {
            const requested = retry(job, now);
            events.push({
              type: requested.type,
              data: {
                ...requested.data,
                timeoutMs: this.config.DECK_JOB_TIMEOUT_MS,
                ...(run.run.deckId ? { deckId: run.run.deckId } : {}),
                ...(run.run.sourcePath ? { sourcePath: run.run.sourcePath } : {}),
              },
            });
          }
          const metadata = commandMetadata(command, { kitId, runId, ...(job ? { jobId: job.jobId } : {}) });
          return async (trx) => {
            await this.store.append({ streamId: runStreamId(runId), expectedVersion: run.version, events }, metadata, trx);
            return { runId, kitId };
          };
        });
        if (!replayed && retriesDeckJob) this.collect.schedule(runId, { actor: command.actor, correlationId: command.correlationId });
        return result;
      } catch (error) {
        // The stream moved meanwhile: decide again on its new state (a deck job still running is refused again).
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }
}
