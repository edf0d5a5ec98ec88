import { Inject, Injectable } from '@nestjs/common';
import { TERMINAL_STATUSES } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Deck, DeckListItem } from '../dto/deck.response.js';
import { containsPattern, defineListing, keysetPage, type Page, type PageRequest } from './listing.js';
import { READ_SCHEMA, type DecksTable, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';

// The editable fields live in the stamped profile (rows from before profiles fall back to their columns).
const NAME = sql`coalesce(decks.profile ->> 'name', decks.name)`;
const DATASET_TYPE = sql`coalesce(decks.profile ->> 'datasetType', decks.dataset_type)`;
const DESCRIPTION = sql`(decks.profile ->> 'description')`;
const ARCHIVED = sql`coalesce((decks.profile ->> 'archived')::boolean, false)`;
const UPDATED_AT = sql`coalesce((decks.profile ->> 'updatedAt')::timestamptz, decks.ingested_at)`;

/** Datasets: sorted by when they were stored (default, newest first), name, last change or size. */
export const DECK_LISTING = defineListing({
  name: 'decks',
  sorts: {
    createdAt: { sql: sql`decks.ingested_at`, type: 'timestamptz' },
    name: { sql: NAME, type: 'text' },
    updatedAt: { sql: UPDATED_AT, type: 'timestamptz' },
    rowCount: { sql: sql`decks.row_count`, type: 'integer' },
  },
  id: { sql: sql`decks.deck_id`, type: 'uuid' },
  defaultSort: '-createdAt',
});

export type ArchivedFilter = 'exclude' | 'include' | 'only';

export interface DeckFilter {
  readonly datasetType?: string;
  readonly name?: string;
  /** Only this user's (an admin's filter, or the caller themself). */
  readonly owner?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
  /** Name or description contains it. */
  readonly q?: string;
  readonly archived: ArchivedFilter;
}

/** A run that uses a deck and has not ended. */
export interface RunUsingDeck {
  readonly runId: string;
  readonly kitId: number;
  readonly status: string;
}

@Injectable()
export class DeckQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  async get(deckId: string): Promise<Deck | undefined> {
    const row = await this.db.selectFrom('decks').selectAll().where('deck_id', '=', deckId).executeTakeFirst();
    return row && toDeck(row);
  }

  /** One keyset page of decks matching `filter`, without their statistics. */
  async list(filter: DeckFilter, page: PageRequest): Promise<Page<DeckListItem>> {
    const query = this.db
      .selectFrom('decks')
      .selectAll()
      .$if(filter.owner !== undefined, (q) => q.where('uploaded_by', '=', filter.owner!))
      .$if(filter.datasetType !== undefined, (q) => q.where(sql<boolean>`${DATASET_TYPE} = ${filter.datasetType}`))
      .$if(filter.name !== undefined, (q) => q.where(sql<boolean>`${NAME} ilike ${containsPattern(filter.name!)}`))
      .$if(filter.q !== undefined, (q) =>
        q.where(sql<boolean>`(${NAME} ilike ${containsPattern(filter.q!)} or coalesce(${DESCRIPTION}, '') ilike ${containsPattern(filter.q!)})`),
      )
      .$if(filter.createdFrom !== undefined, (q) => q.where('ingested_at', '>=', new Date(filter.createdFrom!)))
      .$if(filter.createdTo !== undefined, (q) => q.where('ingested_at', '<=', new Date(filter.createdTo!)))
      .$if(filter.archived === 'exclude', (q) => q.where(sql<boolean>`not ${ARCHIVED}`))
      .$if(filter.archived === 'only', (q) => q.where(sql<boolean>`${ARCHIVED}`));
    return keysetPage(DECK_LISTING, query, page, (row) => toListItem(row as Selectable<DecksTable>));
  }

  /** Runs that use the deck and have not ended (what makes archiving it wait). */
  async runningRunsUsing(deckId: string): Promise<RunUsingDeck[]> {
    const rows = await this.db
      .selectFrom('runs')
      .select(['run_id', 'kit_id', 'status'])
      .where('deck_id', '=', deckId)
      .where('status', 'not in', [...TERMINAL_STATUSES])
      .orderBy('run_id')
      .limit(20)
      .execute();
    return rows.map((r) => ({ runId: r.run_id, kitId: r.kit_id, status: r.status }));
  }
}

/** A deck's version: its row's position, or its profile's when an update or archive came later. */
export const deckVersion = (row: Pick<Selectable<DecksTable>, 'position' | 'profile'>): number => Math.max(row.position, row.profile?.position ?? 0);

function toListItem(row: Selectable<DecksTable>): DeckListItem {
  const profile = row.profile;
  return {
    deckId: row.deck_id,
    name: profile?.name ?? row.name,
    description: profile?.description ?? null,
    datasetType: profile?.datasetType ?? row.dataset_type,
    format: row.format,
    factors: row.factors,
    responses: row.responses,
    rowCount: row.row_count,
    groundTruth: profile ? profile.groundTruth : row.ground_truth,
    archived: profile?.archived ?? false,
    archivedAt: profile?.archivedAt ?? null,
    ingestedAt: iso(row.ingested_at),
    updatedAt: profile?.updatedAt ?? iso(row.ingested_at),
    updatedBy: profile?.updatedBy ?? row.uploaded_by,
    uploadedBy: row.uploaded_by,
    position: deckVersion(row),
  };
}

function toDeck(row: Selectable<DecksTable>): Deck {
  return { ...toListItem(row), statistics: row.statistics };
}
