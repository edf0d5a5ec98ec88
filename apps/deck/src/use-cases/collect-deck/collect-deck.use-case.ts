import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConflictError, DATASET_TYPES, type DatasetType, type EventMetadata, type KitRunStartedV1, VistaError } from '@vista/contracts';
import { ArtifactsBucket, artifactName } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { injectTraceContext } from '@vista/telemetry/tracing';
import { DECK_CONFIG, type DeckConfig } from '../../config/deck.config.js';
import { type DeckCollectionResult, type DeckJobState, complete, fail, isFinished, start, timeOut } from '../../domain/deck-job.js';
import { DeckRepository } from '../../repositories/deck.repository.js';
import { type DeckRun, DeckRunRepository, runStreamId } from '../../repositories/deck-run.repository.js';
import { DeckIngestion, type PreparedDeck } from '../ingest-deck/deck-ingestion.js';
import { resolveInside } from '../deck-folder.js';

/** Why in-process work on a job stopped early. */
type StopCause = 'cancelled' | 'timeout' | 'shutdown';

class CollectionStopped extends Error {
  constructor(readonly stopCause: StopCause) {
    super(`deck collection stopped: ${stopCause}`);
  }
}

/**
 * Runs deck-collection jobs: PENDING → RUNNING → SUCCESS | FAILED | TIMEOUT (CANCELLED comes from
 * StopKitRun). Each transition is an append at the version the job was read at, so a job stopped
 * or finished elsewhere is never overwritten. Unfinished jobs are resumed at start-up.
 */
@Injectable()
export class CollectDeckUseCase implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CollectDeck');
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    @Inject(DECK_CONFIG) private readonly config: DeckConfig,
    private readonly runs: DeckRunRepository,
    private readonly decks: DeckRepository,
    private readonly ingestion: DeckIngestion,
    private readonly events: EventStore,
    private readonly artifacts: ArtifactsBucket,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const unfinished = await this.runs.unfinishedRunIds();
    if (unfinished.length > 0) this.logger.log(`resuming ${unfinished.length} unfinished deck job(s)`);
    for (const runId of unfinished) this.schedule(runId);
  }

  async onApplicationShutdown(): Promise<void> {
    // Jobs stay RUNNING in the log and are resumed by the next process.
    for (const { controller } of this.inFlight.values()) controller.abort(new CollectionStopped('shutdown'));
    await Promise.allSettled([...this.inFlight.values()].map((job) => job.done));
  }

  /** Starts work on a run's deck job in the background (no-op if this process already works on it). */
  schedule(runId: string, origin?: { actor: string; correlationId: string }): void {
    if (this.inFlight.has(runId)) return;
    const controller = new AbortController();
    const done = this.work(runId, controller, origin?.actor ?? 'service:deck')
      .catch((error: unknown) => this.logger.error(`deck job of run ${runId} could not be settled: ${(error as Error)?.message}`))
      .finally(() => this.inFlight.delete(runId));
    this.inFlight.set(runId, { controller, done });
  }

  /** Stops in-process work on a run (its CANCELLED event is appended by the caller). */
  abort(runId: string, cause: StopCause): void {
    this.inFlight.get(runId)?.controller.abort(new CollectionStopped(cause));
  }

  private async work(runId: string, controller: AbortController, actor: string): Promise<void> {
    let run = await this.runs.load(runId);
    if (!run?.job || isFinished(run.job.status)) return;
    let version = run.version;
    const metadata = this.metadata(run, run.job, actor);
    const deadline = Date.parse(run.job.requestedAt) + run.timeoutMs;

    if (run.job.status === 'PENDING') {
      const started = start(run.job, new Date());
      version = await this.appendOrGiveUp(runId, version, started, metadata);
      if (version < 0) return;
      run = { ...run, job: { ...run.job, status: 'RUNNING', startedAt: started.data.startedAt } };
    }
    const job = run.job!;
    const timer = setTimeout(() => controller.abort(new CollectionStopped('timeout')), Math.max(0, deadline - Date.now()));
    try {
      const { result, prepared } = await this.collect(run, controller.signal);
      // The next stage reads the rows from the artifacts bucket: put them there before the event that names them.
      const artifact = prepared?.artifactJson ?? (await this.decks.artifactJson(result.deckId));
      if (!artifact) throw new VistaError('not-found', `deck ${result.deckId} no longer exists`);
      await this.artifacts.put(artifactName.deck(result.deckId), artifact);
      const completed = complete(job, result, new Date());
      completed.data.params = { ...run.run.params };
      await this.events.inTransaction(async (trx) => {
        await prepared?.store(trx, metadata);
        await this.events.append({ streamId: runStreamId(runId), expectedVersion: version, events: [completed] }, metadata, trx);
      });
    } catch (error) {
      const cause =
        error instanceof CollectionStopped
          ? error.stopCause
          : controller.signal.aborted
            ? (controller.signal.reason as CollectionStopped)?.stopCause
            : undefined;
      if (cause === 'timeout') {
        const timedOut = timeOut(job, new Date());
        await this.appendOrGiveUp(runId, version, { ...timedOut, data: { ...timedOut.data, timeoutMs: run.timeoutMs } }, metadata);
      } else if (cause === undefined && !(error instanceof ConflictError)) {
        const reason = error instanceof VistaError || error instanceof Error ? error.message : String(error);
        await this.appendOrGiveUp(runId, version, fail(job, reason, new Date()), metadata);
      }
      // Cancelled, shutting down, or the job moved on elsewhere (conflict): nothing more to record.
    } finally {
      clearTimeout(timer);
    }
  }

  private async collect(run: DeckRun, signal: AbortSignal): Promise<{ result: DeckCollectionResult; prepared?: PreparedDeck }> {
    if (run.run.deckId) {
      const deck = await this.decks.find(run.run.deckId);
      if (!deck) throw new VistaError('not-found', `deck ${run.run.deckId} no longer exists`);
      return { result: { deckId: deck.deckId, rowCount: deck.rowCount, factors: deck.factors, responses: deck.responses } };
    }
    const sourcePath = run.run.sourcePath!;
    const file = resolveInside(this.config.DECK_SOURCE_DIR ?? '', sourcePath);
    const content = await readFile(file, { signal });
    const prepared = await this.ingestion.prepare(
      {
        name: path.basename(sourcePath),
        format: sourcePath.toLowerCase().endsWith('.json') ? 'json' : 'csv',
        datasetType: datasetTypeOf(run.run),
        content,
        source: `file:${sourcePath}`,
      },
      signal,
    );
    return { result: { deckId: prepared.deckId, rowCount: prepared.rowCount, factors: prepared.factors, responses: prepared.responses }, prepared };
  }

  /** Appends one transition; returns the new version, or -1 when the job moved on meanwhile. */
  private async appendOrGiveUp(runId: string, version: number, event: { type: string; data: object }, metadata: EventMetadata): Promise<number> {
    try {
      return await this.runs.append(runId, version, [event as never], metadata);
    } catch (error) {
      if (error instanceof ConflictError) return -1;
      throw error;
    }
  }

  private metadata(run: DeckRun, job: DeckJobState, actor: string): EventMetadata {
    const trace = injectTraceContext();
    return {
      actor,
      correlationId: run.correlationId,
      kitId: job.kitId,
      runId: job.runId,
      jobId: job.jobId,
      ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    };
  }
}

const datasetTypeOf = (run: KitRunStartedV1): DatasetType => {
  const requested = run.params?.datasetType;
  return DATASET_TYPES.includes(requested as DatasetType) ? (requested as DatasetType) : 'Vector';
};
