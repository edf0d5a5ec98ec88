import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import type { Kysely } from 'kysely';
import type { Deck } from '../dto/deck.response.js';
import { READ_SCHEMA, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';

@Injectable()
export class DeckQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  async get(deckId: string): Promise<Deck | undefined> {
    const row = await this.db.selectFrom('decks').selectAll().where('deck_id', '=', deckId).executeTakeFirst();
    return (
      row && {
        deckId: row.deck_id,
        name: row.name,
        datasetType: row.dataset_type,
        format: row.format,
        factors: row.factors,
        responses: row.responses,
        rowCount: row.row_count,
        statistics: row.statistics,
        groundTruth: row.ground_truth,
        ingestedAt: iso(row.ingested_at),
        position: row.position,
      }
    );
  }
}
