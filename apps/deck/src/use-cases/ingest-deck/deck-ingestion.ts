import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Transaction } from 'kysely';
import { type DatasetType, type EventMetadata, ValidationError } from '@vista/contracts';
import { EventStore } from '@vista/event-store';
import { StageHostFactory } from '@vista/jobs';
import type { ParseDeckInput } from '../../domain/parse-deck.js';
import { DeckRepository } from '../../repositories/deck.repository.js';
import type { ParseDeckOutcome, ParsedDeck } from '../../workers/parse-deck.worker.js';

/** The service's worker module (preloaded by every worker of its pool). */
export const PARSE_DECK_WORKER = new URL('../../workers/parse-deck.worker.js', import.meta.url);

export interface DeckSource {
  readonly name: string;
  readonly format: 'csv' | 'json';
  readonly datasetType: DatasetType;
  readonly content: Uint8Array;
  /** `upload:<key>` or `file:<path>`. */
  readonly source: string;
  readonly groundTruth?: string;
  readonly factors?: string[];
  readonly responses?: string[];
}

export interface PreparedDeck {
  readonly deckId: string;
  readonly rowCount: number;
  readonly factors: string[];
  readonly responses: string[];
  /** The deck as a `TableArtifact` (JSON), for the next stages. */
  readonly artifactJson: string;
  /** Stores the deck and appends DeckIngested inside the caller's transaction. */
  store(trx: Transaction<any>, metadata: EventMetadata): Promise<void>;
}

/**
 * Validates a deck on the service's worker pool, then stores it together with its DeckIngested event,
 * so a deck is never stored without its event (or the reverse).
 */
@Injectable()
export class DeckIngestion {
  constructor(
    private readonly decks: DeckRepository,
    private readonly events: EventStore,
    private readonly stages: StageHostFactory,
  ) {}

  async prepare(source: DeckSource, signal?: AbortSignal): Promise<PreparedDeck> {
    const parsed = await this.parse(
      { format: source.format, content: Buffer.from(source.content), factors: source.factors, responses: source.responses },
      signal,
    );
    const deckId = randomUUID();
    return {
      deckId,
      rowCount: parsed.rowCount,
      factors: parsed.factors,
      responses: parsed.responses,
      // The rows were serialised in the worker; splicing them in avoids parsing them again here.
      artifactJson: `{"columns":${JSON.stringify(parsed.columns)},"factors":${JSON.stringify(parsed.factors)},"responses":${JSON.stringify(parsed.responses)},"rows":${parsed.rowsJson}}`,
      store: async (trx, metadata) => {
        await this.decks.insert(trx, {
          deckId,
          name: source.name,
          datasetType: source.datasetType,
          format: source.format,
          groundTruth: source.groundTruth,
          source: source.source,
          parsed,
        });
        await this.events.append(
          {
            streamId: `deck-${deckId}`,
            expectedVersion: 0,
            events: [
              {
                type: 'DeckIngested',
                data: {
                  deckId,
                  name: source.name,
                  datasetType: source.datasetType,
                  format: source.format,
                  factors: parsed.factors,
                  responses: parsed.responses,
                  rowCount: parsed.rowCount,
                  statistics: parsed.statistics as unknown as Record<string, unknown>,
                  ...(source.groundTruth ? { groundTruth: source.groundTruth } : {}),
                  ingestedAt: new Date().toISOString(),
                },
              },
            ],
          },
          metadata,
          trx,
        );
      },
    };
  }

  /** Parses and checks a deck on the worker pool; an invalid deck is a ValidationError whose issues name the row and column. */
  private async parse(input: ParseDeckInput, signal?: AbortSignal): Promise<ParsedDeck> {
    const outcome = await this.stages.pool.run<ParseDeckInput, never, ParseDeckOutcome>(PARSE_DECK_WORKER, input, signal ? { signal } : {});
    if (outcome.ok) return outcome.parsed;
    const issues = outcome.issues.map((i) => ({
      path:
        [i.row !== undefined ? `row ${i.row}` : undefined, i.column !== undefined ? `column ${i.column}` : undefined].filter(Boolean).join(', ') || undefined,
      message: i.message,
    }));
    throw new ValidationError(outcome.message, issues);
  }
}
