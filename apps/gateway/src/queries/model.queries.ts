import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import type { Kysely } from 'kysely';
import type { Model } from '../dto/model.response.js';
import { READ_SCHEMA, type ModelsTable, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';

export interface ModelFilter {
  readonly kitId?: number;
  readonly runId?: string;
  readonly algorithm?: string;
}

/** Reads the model registry from the `read` schema. */
@Injectable()
export class ModelQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  /** One page of models matching the filter, the most recently registered first. */
  async list(filter: ModelFilter, page: number, pageSize: number): Promise<{ items: Model[]; total: number }> {
    let query = this.db.selectFrom('models');
    if (filter.kitId !== undefined) query = query.where('kit_id', '=', filter.kitId);
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    if (filter.algorithm !== undefined) query = query.where('algorithm', '=', filter.algorithm);
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('registered_at', 'desc')
        .orderBy('model_id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toModel), total: Number(count.total) };
  }

  async get(modelId: string): Promise<Model | undefined> {
    const row = await this.db.selectFrom('models').selectAll().where('model_id', '=', modelId).executeTakeFirst();
    return row && toModel(row);
  }
}

function toModel(row: ModelsTable): Model {
  return {
    modelId: row.model_id,
    modelVersion: row.model_version,
    kitId: row.kit_id,
    runId: row.run_id,
    algorithm: row.algorithm,
    deckId: row.deck_id,
    datasetId: row.dataset_id,
    metrics: row.metrics,
    r2: row.r2,
    hyperparameters: row.hyperparameters,
    params: row.params,
    factors: row.factors,
    response: row.response,
    lineage: row.lineage,
    artifactDigest: row.artifact_digest,
    registeredAt: iso(row.registered_at),
    position: Number(row.position),
  };
}
