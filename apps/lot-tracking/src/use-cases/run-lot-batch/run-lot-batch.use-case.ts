import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConflictError, type EventMetadata, type LotBatchTrigger, type LotBatchView, VistaError, isConnectionLost } from '@vista/contracts';
import { EventStore } from '@vista/event-store';
import { LOT_TRACKING_CONFIG, type LotTrackingConfig } from '../../config/lot-tracking.config.js';
import { MlClient } from '../../commands/ml.client.js';
import { type BatchPlan, type BatchRow, chunksByModel, planBatch } from '../../domain/batch-inputs.js';
import { BatchRepository, type ResultRow } from '../../repositories/batch.repository.js';
import { LotRowsRepository } from '../../repositories/lot-rows.repository.js';
import { ModelCatalogRepository } from '../../repositories/model-catalog.repository.js';

export interface BatchRequest {
  readonly businessDate: string;
  readonly trigger: LotBatchTrigger;
  readonly actor: string;
  readonly correlationId: string;
}

type Settings = Pick<LotTrackingConfig, 'LOT_BATCH_CHUNK_SIZE' | 'LOT_BATCH_STALE_MS'>;

const UNIQUE_VIOLATION = '23505';

/**
 * The daily batch (RunLotBatch), one code path for the schedule, the `batch --date=` command and the
 * API. Per business date it:
 * - snapshots the active rows and their models' versions, and digests them; the same digest as the
 *   date's published results is recorded as "unchanged" (an attempt and an event), nothing else;
 * - predicts the rows through ml in chunks of one model, storing each chunk under the attempt (the
 *   progress), invisible to readers;
 * - publishes by switching the date to the attempt in one transaction with `LotBatchCompleted`: a
 *   date shows all of one attempt's results or none, never a mix;
 * - on failure records the reason (`LotBatchFailed`); the date keeps what it showed. An attempt whose
 *   process died is found stale by the next run and recorded as failed. A rerun with the same inputs
 *   carries over the results a failed attempt stored, so it predicts only the rest (never a row twice).
 */
@Injectable()
export class RunLotBatchUseCase implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('lot-tracking');
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    @Inject(LOT_TRACKING_CONFIG) private readonly config: Settings,
    private readonly rows: LotRowsRepository,
    private readonly catalog: ModelCatalogRepository,
    private readonly batches: BatchRepository,
    private readonly ml: MlClient,
    private readonly events: EventStore,
  ) {}

  /** Runs the batch to its end and answers the attempt as it ended (a failure is answered, not thrown). */
  async execute(request: BatchRequest): Promise<LotBatchView> {
    const started = await this.start(request);
    await started.done;
    return (await this.batches.view(started.attempt.attemptId))!;
  }

  /** Starts the batch and answers the attempt at once (running, or unchanged); `done` settles when it ends. */
  async start(request: BatchRequest): Promise<{ attempt: LotBatchView; done: Promise<void> }> {
    if (this.stopping) throw new VistaError('unavailable', 'the lot-tracking service is stopping; run the batch again in a moment');
    const metadata: EventMetadata = { actor: request.actor, correlationId: request.correlationId };
    const { businessDate } = request;
    await this.reapStale(businessDate, metadata);

    const active = await this.rows.active();
    const models = await this.catalog.setupModels(active.map((r) => r.setup_model_id));
    const plan = planBatch(
      active.map((r) => ({
        rowId: r.row_id,
        version: r.version,
        lotId: r.lot_id,
        product: r.product,
        processStep: r.process_step,
        equipment: r.equipment,
        waferCount: r.wafer_count,
        setupModelId: r.setup_model_id,
        factors: r.factors,
      })),
      models,
    );
    const responses = new Map([...models.values()].map((m) => [m.setupModelId, m.response ?? 'response']));

    const attemptId = randomUUID();
    const streamId = `lot-batch-${businessDate}`;
    const now = new Date();
    const base = {
      attempt_id: attemptId,
      business_date: businessDate,
      trigger: request.trigger,
      actor: request.actor,
      digest: plan.digest,
      started_at: now,
      heartbeat_at: now,
      total_rows: plan.rows.length,
      predicted_rows: 0,
      skipped_rows: plan.skipped.length,
      models: plan.models,
    };
    let carried = new Set<string>();
    let outcome: 'unchanged' | 'running';
    try {
      outcome = await this.events.inTransaction(async (trx) => {
        const published = await this.batches.published(businessDate, trx);
        if (published?.digest === plan.digest) {
          await this.batches.insertAttempt({ ...base, status: 'unchanged', finished_at: now, reason: `same inputs as attempt ${published.attemptId}` }, trx);
          await this.events.append(
            {
              streamId,
              expectedVersion: 'any',
              events: [
                {
                  type: 'LotBatchUnchanged',
                  data: { attemptId, businessDate, trigger: request.trigger, digest: plan.digest, currentAttemptId: published.attemptId },
                },
              ],
            },
            metadata,
            trx,
          );
          return 'unchanged';
        }
        const running = await this.batches.running(businessDate, trx);
        if (running)
          throw new ConflictError(
            `the batch of ${businessDate} is already running (attempt ${running.attempt_id}, ${running.predicted_rows}/${running.total_rows} rows; ` +
              `last sign of life ${new Date(running.heartbeat_at).toISOString()}, counted abandoned after ${this.config.LOT_BATCH_STALE_MS} ms without one)`,
          );
        await this.batches.insertAttempt({ ...base, status: 'running', finished_at: null, reason: null }, trx);
        const resumable = await this.batches.lastUnfinished(businessDate, plan.digest, trx);
        if (resumable) carried = await this.batches.carryOver(resumable.attempt_id, attemptId, trx);
        await this.events.append(
          {
            streamId,
            expectedVersion: 'any',
            events: [
              {
                type: 'LotBatchStarted',
                data: {
                  attemptId,
                  businessDate,
                  trigger: request.trigger,
                  digest: plan.digest,
                  totalRows: plan.rows.length,
                  ...(resumable ? { resumedFromAttemptId: resumable.attempt_id, carriedOverRows: carried.size } : {}),
                },
              },
            ],
          },
          metadata,
          trx,
        );
        return 'running';
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && !isConnectionLost(error)) {
        throw new ConflictError(`the batch of ${businessDate} is already running`, { cause: error });
      }
      throw error;
    }

    const attempt = (await this.batches.view(attemptId))!;
    if (outcome === 'unchanged') {
      this.logger.log(`batch ${businessDate}: no change (digest ${plan.digest.slice(0, 12)}), attempt ${attemptId}`);
      return { attempt, done: Promise.resolve() };
    }
    this.logger.log(
      `batch ${businessDate}: attempt ${attemptId} predicts ${plan.rows.length - carried.size} of ${plan.rows.length} rows (${carried.size} carried over)`,
    );
    const done = this.run(request, attemptId, plan, responses, carried, metadata);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return { attempt, done };
  }

  /** On SIGTERM a running batch stops after its current chunk and records why; a rerun carries its results over. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(
    request: BatchRequest,
    attemptId: string,
    plan: BatchPlan,
    responses: Map<string, string>,
    carried: Set<string>,
    metadata: EventMetadata,
  ): Promise<void> {
    const { businessDate } = request;
    const streamId = `lot-batch-${businessDate}`;
    // Signs of life between chunks, and while one chunk waits long on ml.
    const beat = setInterval(() => void this.batches.heartbeat(attemptId).catch(() => undefined), Math.max(500, this.config.LOT_BATCH_STALE_MS / 4));
    try {
      const todo = plan.rows.filter((r) => !carried.has(r.rowId));
      for (const chunk of chunksByModel(todo, this.config.LOT_BATCH_CHUNK_SIZE)) {
        if (this.stopping) throw new Error('the service stopped before the batch ended; rerun the date to finish it (the results so far are carried over)');
        const results = await this.predictChunk(attemptId, chunk, plan, responses, request.correlationId);
        await this.batches.storeChunk(attemptId, results);
        // Between chunks the event loop serves health checks and commands.
        await yieldToLoop();
      }
      await this.events.inTransaction(async (trx) => {
        const stored = await this.batches.resultCount(attemptId, trx);
        if (stored !== plan.rows.length) throw new Error(`attempt ${attemptId} holds ${stored} results for ${plan.rows.length} rows`);
        const previous = await this.batches.published(businessDate, trx);
        await this.batches.publish(businessDate, attemptId, plan.digest, trx);
        await this.events.append(
          {
            streamId,
            expectedVersion: 'any',
            events: [
              {
                type: 'LotBatchCompleted',
                data: {
                  attemptId,
                  businessDate,
                  digest: plan.digest,
                  predictedRows: stored,
                  skippedRows: plan.skipped.length,
                  models: plan.models,
                  ...(previous ? { replacedAttemptId: previous.attemptId } : {}),
                },
              },
            ],
          },
          metadata,
          trx,
        );
      });
      this.logger.log(`batch ${businessDate}: attempt ${attemptId} published ${plan.rows.length} results`);
    } catch (error) {
      const reason = (error as Error).message || String(error);
      this.logger.error(`batch ${businessDate}: attempt ${attemptId} failed: ${reason}`);
      await this.fail(attemptId, businessDate, reason, metadata).catch((recordError: Error) =>
        // Postgres itself is away: the attempt stays running without a heartbeat, and the next run finds it stale.
        this.logger.error(`batch ${businessDate}: the failure of attempt ${attemptId} could not be recorded: ${recordError.message}`),
      );
    } finally {
      clearInterval(beat);
    }
  }

  private async predictChunk(
    attemptId: string,
    chunk: BatchRow[],
    plan: BatchPlan,
    responses: Map<string, string>,
    correlationId: string,
  ): Promise<ResultRow[]> {
    const setupModelId = chunk[0]!.setupModelId;
    const model = plan.models[setupModelId]!;
    const answer = await this.ml.predict(
      model.registryModelId,
      chunk.map((r) => r.factors),
      correlationId,
    );
    if (answer.predictions.length !== chunk.length) throw new Error(`ml answered ${answer.predictions.length} predictions for ${chunk.length} rows`);
    if (answer.modelVersion !== model.modelVersion) {
      throw new Error(`model ${model.registryModelId} is at version ${answer.modelVersion}, the batch planned version ${model.modelVersion}`);
    }
    return chunk.map((r, i) => ({
      attempt_id: attemptId,
      row_id: r.rowId,
      row_version: r.version,
      lot_id: r.lotId,
      product: r.product,
      process_step: r.processStep,
      equipment: r.equipment,
      wafer_count: r.waferCount,
      setup_model_id: setupModelId,
      registry_model_id: model.registryModelId,
      model_version: answer.modelVersion,
      response: answer.response ?? responses.get(setupModelId) ?? 'response',
      factors: r.factors,
      prediction: answer.predictions[i]!,
    }));
  }

  private async fail(attemptId: string, businessDate: string, reason: string, metadata: EventMetadata): Promise<void> {
    await this.events.inTransaction(async (trx) => {
      const predicted = await this.batches.resultCount(attemptId, trx);
      await this.batches.finish(attemptId, 'failed', reason, trx);
      await this.events.append(
        {
          streamId: `lot-batch-${businessDate}`,
          expectedVersion: 'any',
          events: [{ type: 'LotBatchFailed', data: { attemptId, businessDate, reason: reason.slice(0, 2000), predictedRows: predicted } }],
        },
        metadata,
        trx,
      );
    });
  }

  /** Attempts of the date whose process stopped (no heartbeat within LOT_BATCH_STALE_MS) are recorded as failed; their results stay for a carry-over. */
  private async reapStale(businessDate: string, metadata: EventMetadata): Promise<void> {
    await this.events.inTransaction(async (trx) => {
      const stale = await this.batches.stale(businessDate, new Date(Date.now() - this.config.LOT_BATCH_STALE_MS), trx);
      for (const attempt of stale) {
        const reason = `abandoned: no sign of life since ${new Date(attempt.heartbeat_at).toISOString()} (the process running it stopped)`;
        await this.batches.finish(attempt.attempt_id, 'failed', reason, trx);
        await this.events.append(
          {
            streamId: `lot-batch-${businessDate}`,
            expectedVersion: 'any',
            events: [{ type: 'LotBatchFailed', data: { attemptId: attempt.attempt_id, businessDate, reason, predictedRows: attempt.predicted_rows } }],
          },
          metadata,
          trx,
        );
      }
    });
  }
}
