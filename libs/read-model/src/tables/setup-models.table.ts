import { sql } from 'kysely';
import { IDENTITY } from './migration-names.js';
import { defineTable, type Json, type JsonObject, type Timestamp } from './table.js';

/** A registered model copied into a set-up model that general users may ask to use (`ModelSetUp`). */
export interface SetupModelsTable {
  setup_model_id: string;
  source_model_id: string;
  registry_model_id: string;
  owner_id: string;
  name: string;
  description: string | null;
  attributes: Json;
  /** Model ids from this copy back to the registry model, newest first. */
  lineage: Json<string[]>;
  set_up_at: Timestamp;
  position: number;
}

export interface SetupModelRow {
  setup_model_id: string;
  source_model_id: string;
  registry_model_id: string;
  owner_id: string;
  name: string;
  description: string | null;
  attributes: JsonObject;
  lineage: string[];
  set_up_at: string;
  position: number;
}

export const setupModelsTable = defineTable<SetupModelRow>({
  name: 'setup_models',
  columns: {
    setup_model_id: 'uuid',
    source_model_id: 'uuid',
    registry_model_id: 'uuid',
    owner_id: 'uuid',
    name: 'text',
    description: 'text',
    attributes: 'jsonb',
    lineage: 'jsonb',
    set_up_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['setup_model_id'],
    latest: ['source_model_id', 'registry_model_id', 'owner_id', 'name', 'description', 'attributes', 'lineage', 'set_up_at'],
  },
  migrations: {
    [IDENTITY]: {
      up: (s) => [
        sql`
          create table ${s}.setup_models (
            setup_model_id uuid primary key,
            source_model_id uuid not null,
            registry_model_id uuid not null,
            owner_id uuid not null,
            name text not null,
            description text,
            attributes jsonb not null,
            lineage jsonb not null,
            set_up_at timestamptz not null,
            position bigint not null
          )`,
        sql`create index setup_models_owner_id on ${s}.setup_models (owner_id)`,
      ],
      down: (s) => [sql`drop table ${s}.setup_models`],
    },
  },
});
