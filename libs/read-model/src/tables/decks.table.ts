import { sql } from 'kysely';
import { CREATE, OWNERS, RESOURCES } from './migration-names.js';
import { defineTable, type Json, type JsonObject, type NullableJson, type Timestamp } from './table.js';

/**
 * What a deck's owner may change (name, description, type, ground truth, archived), set by
 * DeckIngested and replaced whole by each DeckUpdated / DeckArchived, stamped with the position of
 * the event that set it: the newest wins whatever order events are folded in.
 */
export interface DeckProfile {
  name: string;
  description: string | null;
  datasetType: string;
  groundTruth: string | null;
  archived: boolean;
  archivedAt: string | null;
  /** When and by whom the profile was last set (ingestion, an update or the archive). */
  updatedAt: string;
  updatedBy: string | null;
  position: number;
}

export interface DecksTable {
  deck_id: string;
  name: string;
  dataset_type: string;
  format: string;
  factors: Json<string[]>;
  responses: Json<string[]>;
  row_count: number;
  statistics: Json;
  ground_truth: string | null;
  ingested_at: Timestamp;
  uploaded_by: string | null;
  profile: NullableJson<DeckProfile>;
  position: number;
}

export interface DeckRow {
  deck_id: string;
  name: string;
  dataset_type: string;
  format: string;
  factors: string[];
  responses: string[];
  row_count: number;
  statistics: JsonObject;
  ground_truth: string | null;
  ingested_at: string;
  /** Who uploaded the deck (the DeckIngested event's actor). */
  uploaded_by: string | null;
  /** The editable part; null only on rows from before profiles were recorded. */
  profile: DeckProfile | null;
  position: number;
}

export const decksTable = defineTable<DeckRow>({
  name: 'decks',
  columns: {
    deck_id: 'uuid',
    name: 'text',
    dataset_type: 'text',
    format: 'text',
    factors: 'jsonb',
    responses: 'jsonb',
    row_count: 'integer',
    statistics: 'jsonb',
    ground_truth: 'text',
    ingested_at: 'timestamptz',
    uploaded_by: 'text',
    profile: 'jsonb',
    position: 'bigint',
  },
  merge: {
    key: ['deck_id'],
    latest: ['name', 'dataset_type', 'format', 'factors', 'responses', 'row_count', 'statistics', 'ground_truth', 'ingested_at'],
    once: ['uploaded_by'],
    // An update's row has position 0 (its placeholder columns never win); its profile merges on its own stamp.
    stamped: ['profile'],
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.decks (
            deck_id uuid primary key,
            name text not null,
            dataset_type text not null,
            format text not null,
            factors jsonb not null,
            responses jsonb not null,
            row_count integer not null,
            statistics jsonb not null,
            ground_truth text,
            ingested_at timestamptz not null,
            position bigint not null
          )`,
      ],
      down: (s) => [sql`drop table ${s}.decks`],
    },
    [OWNERS]: {
      up: (s) => [sql`alter table ${s}.decks add column uploaded_by text`],
      down: (s) => [sql`alter table ${s}.decks drop column uploaded_by`],
    },
    [RESOURCES]: {
      up: (s) => [
        sql`alter table ${s}.decks add column profile jsonb`,
        sql`create index decks_ingested_at on ${s}.decks (ingested_at desc, deck_id)`,
        sql`create index decks_uploaded_by on ${s}.decks (uploaded_by, ingested_at desc, deck_id)`,
      ],
      down: (s) => [sql`drop index ${s}.decks_uploaded_by`, sql`drop index ${s}.decks_ingested_at`, sql`alter table ${s}.decks drop column profile`],
    },
  },
});
