import { sql } from 'kysely';
import { CREATE, STAGE_ATTEMPTS } from './migration-names.js';
import { defineTable, type Json, type JsonObject, type NullableJson, type Timestamp } from './table.js';

export interface ModelsTable {
  model_id: string;
  model_version: number;
  kit_id: number;
  run_id: string;
  algorithm: string;
  deck_id: string;
  dataset_id: string;
  metrics: Json<Record<string, number>>;
  r2: number;
  /** Null on models registered before these were recorded. */
  hyperparameters: NullableJson;
  params: NullableJson;
  factors: NullableJson<string[]>;
  response: string | null;
  /** deck → design → model. */
  lineage: NullableJson;
  artifact_digest: string | null;
  registered_at: Timestamp;
  position: number;
}

export interface ModelRow {
  model_id: string;
  model_version: number;
  kit_id: number;
  run_id: string;
  algorithm: string;
  deck_id: string;
  dataset_id: string;
  metrics: JsonObject;
  r2: number;
  hyperparameters: JsonObject | null;
  params: JsonObject | null;
  factors: string[] | null;
  response: string | null;
  lineage: JsonObject | null;
  artifact_digest: string | null;
  registered_at: string;
  position: number;
}

export const modelsTable = defineTable<ModelRow>({
  name: 'models',
  columns: {
    model_id: 'uuid',
    model_version: 'integer',
    kit_id: 'integer',
    run_id: 'uuid',
    algorithm: 'text',
    deck_id: 'uuid',
    dataset_id: 'uuid',
    metrics: 'jsonb',
    r2: 'double precision',
    hyperparameters: 'jsonb',
    params: 'jsonb',
    factors: 'jsonb',
    response: 'text',
    lineage: 'jsonb',
    artifact_digest: 'text',
    registered_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['model_id'],
    latest: [
      'model_version',
      'kit_id',
      'run_id',
      'algorithm',
      'deck_id',
      'dataset_id',
      'metrics',
      'r2',
      'hyperparameters',
      'params',
      'factors',
      'response',
      'lineage',
      'artifact_digest',
      'registered_at',
    ],
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.models (
            model_id uuid primary key,
            model_version integer not null,
            kit_id integer not null,
            run_id uuid not null,
            algorithm text not null,
            deck_id uuid not null,
            dataset_id uuid not null,
            metrics jsonb not null,
            r2 double precision not null,
            registered_at timestamptz not null,
            position bigint not null
          )`,
        sql`create index models_kit_id on ${s}.models (kit_id)`,
      ],
      down: (s) => [sql`drop table ${s}.models`],
    },
    // What `ModelRegistered` now says about a model (hyperparameters, settings, factors, response, lineage, artifact digest).
    [STAGE_ATTEMPTS]: {
      up: (s) => [
        sql`
          alter table ${s}.models
            add column hyperparameters jsonb,
            add column params jsonb,
            add column factors jsonb,
            add column response text,
            add column lineage jsonb,
            add column artifact_digest text`,
        sql`create index models_run_id on ${s}.models (run_id)`,
        sql`create index models_registered_at on ${s}.models (registered_at desc, model_id desc)`,
      ],
      down: (s) => [
        sql`drop index ${s}.models_registered_at`,
        sql`drop index ${s}.models_run_id`,
        sql`
          alter table ${s}.models
            drop column hyperparameters,
            drop column params,
            drop column factors,
            drop column response,
            drop column lineage,
            drop column artifact_digest`,
      ],
    },
  },
});
