import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, type Transaction, sql } from 'kysely';
import { DATABASE } from '@vista/db';
import { DECK_SCHEMA } from '../config/deck.config.js';
import type { ParsedDeck } from '../workers/parse-deck.worker.js';

export interface DeckRecord {
  readonly deckId: string;
  readonly name: string;
  readonly datasetType: string;
  readonly format: string;
  readonly factors: string[];
  readonly responses: string[];
  readonly rowCount: number;
}

export interface NewDeck {
  readonly deckId: string;
  readonly name: string;
  readonly datasetType: string;
  readonly format: string;
  readonly groundTruth?: string;
  /** `upload:<key>` or `file:<path>`. */
  readonly source: string;
  readonly parsed: ParsedDeck;
}

/** Stored decks (table data included) in the deck schema. */
@Injectable()
export class DeckRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  /** Inserts a deck in the caller's transaction, so the deck and its DeckIngested event commit together. */
  async insert(trx: Transaction<any>, deck: NewDeck): Promise<void> {
    await sql`
      insert into ${sql.id(DECK_SCHEMA, 'decks')}
        (deck_id, name, dataset_type, format, columns, factors, responses, row_count, statistics, ground_truth, source, rows)
      values (${deck.deckId}, ${deck.name}, ${deck.datasetType}, ${deck.format}, ${JSON.stringify(deck.parsed.columns)}::jsonb,
        ${JSON.stringify(deck.parsed.factors)}::jsonb, ${JSON.stringify(deck.parsed.responses)}::jsonb, ${deck.parsed.rowCount},
        ${JSON.stringify(deck.parsed.statistics)}::jsonb, ${deck.groundTruth ?? null}, ${deck.source}, ${deck.parsed.rowsJson}::jsonb)`.execute(trx);
  }

  /** A stored deck as a `TableArtifact` (JSON text built by Postgres), or undefined. */
  async artifactJson(deckId: string): Promise<string | undefined> {
    const { rows } = await sql<{ artifact: string }>`
      select json_build_object('columns', columns, 'factors', factors, 'responses', responses, 'rows', rows)::text as artifact
      from ${sql.id(DECK_SCHEMA, 'decks')} where deck_id = ${deckId}`.execute(this.db);
    return rows[0]?.artifact;
  }

  /** A stored deck's name, columns and rows (the table as it was ingested), or undefined. */
  async table(deckId: string): Promise<{ name: string; columns: string[]; factors: string[]; responses: string[]; rows: (number | null)[][] } | undefined> {
    const { rows } = await sql<{ name: string; columns: string[]; factors: string[]; responses: string[]; rows: (number | null)[][] }>`
      select name, columns, factors, responses, rows from ${sql.id(DECK_SCHEMA, 'decks')} where deck_id = ${deckId}`.execute(this.db);
    return rows[0];
  }

  async find(deckId: string): Promise<DeckRecord | undefined> {
    const { rows } = await sql<{
      deck_id: string;
      name: string;
      dataset_type: string;
      format: string;
      factors: string[];
      responses: string[];
      row_count: number;
    }>`
      select deck_id, name, dataset_type, format, factors, responses, row_count from ${sql.id(DECK_SCHEMA, 'decks')} where deck_id = ${deckId}`.execute(
      this.db,
    );
    const row = rows[0];
    return (
      row && {
        deckId: row.deck_id,
        name: row.name,
        datasetType: row.dataset_type,
        format: row.format,
        factors: row.factors,
        responses: row.responses,
        rowCount: row.row_count,
      }
    );
  }
}
