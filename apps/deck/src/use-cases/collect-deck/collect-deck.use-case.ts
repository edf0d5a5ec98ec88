import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DATASET_TYPES, type DatasetType, type EventMetadata, type KitRunStartedV1, VistaError } from '@vista/contracts';
import { ArtifactsBucket, artifactName } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import type { StageJob, StageWorkContext } from '@vista/jobs';
import { injectTraceContext } from '@vista/telemetry/tracing';
import { DECK_CONFIG, type DeckConfig } from '../../config/deck.config.js';
import { DECK_STAGE } from '../../domain/deck-stage.js';
import { DeckRepository } from '../../repositories/deck.repository.js';
import { resolveInside } from '../deck-folder.js';
import { DeckIngestion, type PreparedDeck } from '../ingest-deck/deck-ingestion.js';

/**
 * A deck-collection job's work: reads the run's deck (an uploaded one, or a file from the deck folder,
 * parsed and checked on the service's worker pool), hands its rows to DOE through the artifacts
 * bucket, and completes with the deck's shape; a deck read from a file is stored with the completion.
 */
@Injectable()
export class CollectDeckUseCase {
  constructor(
    @Inject(DECK_CONFIG) private readonly config: DeckConfig,
    private readonly decks: DeckRepository,
    private readonly ingestion: DeckIngestion,
    private readonly events: EventStore,
    private readonly artifacts: ArtifactsBucket,
  ) {}

  async execute(job: StageJob, context: StageWorkContext): Promise<void> {
    const { run, correlationId } = await this.startedRun(job.runId);
    const { deckId, sourcePath } = job.input as { deckId?: string; sourcePath?: string };
    let prepared: PreparedDeck | undefined;
    let result: { deckId: string; rowCount: number; factors: string[]; responses: string[] };
    if (deckId) {
      const deck = await this.decks.find(deckId);
      if (!deck) throw new VistaError('not-found', `deck ${deckId} no longer exists`);
      context.log(`collecting uploaded deck ${deckId} (${deck.rowCount} rows)`);
      result = { deckId: deck.deckId, rowCount: deck.rowCount, factors: deck.factors, responses: deck.responses };
    } else {
      const file = resolveInside(this.config.DECK_SOURCE_DIR ?? '', sourcePath!);
      context.log(`reading ${sourcePath} from the deck folder`);
      const content = await readFile(file, { signal: context.signal });
      prepared = await this.ingestion.prepare(
        {
          name: path.basename(sourcePath!),
          format: sourcePath!.toLowerCase().endsWith('.json') ? 'json' : 'csv',
          datasetType: datasetTypeOf(run),
          content,
          source: `file:${sourcePath}`,
        },
        context.signal,
      );
      context.log(`parsed and checked ${prepared.rowCount} rows: factors ${prepared.factors.join(', ')}; responses ${prepared.responses.join(', ')}`);
      result = { deckId: prepared.deckId, rowCount: prepared.rowCount, factors: prepared.factors, responses: prepared.responses };
    }
    // The next stage reads the rows from the artifacts bucket: put them there before the event that names them.
    const artifact = prepared?.artifactJson ?? (await this.decks.artifactJson(result.deckId));
    if (!artifact) throw new VistaError('not-found', `deck ${result.deckId} no longer exists`);
    await this.artifacts.put(artifactName.deck(result.deckId), artifact);
    context.log(`deck ${result.deckId} handed on to DOE`);
    const store = prepared?.store;
    await context.completeStep(
      DECK_STAGE.steps[0]!,
      { ...result, params: { ...run.params } },
      [],
      store && ((trx) => store(trx, this.metadata(job, correlationId))),
    );
  }

  /** The run as it was started (its parameters travel on with the completion). */
  private async startedRun(runId: string): Promise<{ run: KitRunStartedV1; correlationId: string }> {
    const [first] = await this.events.readStream(`${DECK_STAGE.streamPrefix}${runId}`, 1);
    if (first?.type !== 'KitRunStarted') throw new VistaError('not-found', `run ${runId} has no start recorded`);
    return { run: first.data as unknown as KitRunStartedV1, correlationId: first.metadata.correlationId };
  }

  private metadata(job: StageJob, correlationId: string): EventMetadata {
    const trace = injectTraceContext();
    return {
      actor: 'service:deck',
      correlationId,
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
