import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import { type Kysely, sql } from 'kysely';
import type { Model } from '../dto/model.response.js';
import { defineListing, keysetPage, listTotal, type Page, type PageRequest } from './listing.js';
import { READ_SCHEMA, type ModelsTable, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';

/** Models: the most recently registered first by default (index `models_registered_at`). */
export const MODEL_LISTING = defineListing({
  name: 'models',
  sorts: {
    registeredAt: { sql: sql`models.registered_at`, type: 'timestamptz' },
    kitId: { sql: sql`models.kit_id`, type: 'integer' },
  },
  id: { sql: sql`models.model_id`, type: 'uuid' },
  defaultSort: '-registeredAt',
});

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

  /**
   * One page of models matching the filter: after `cursor` (keyset: as fast deep in the list as at its
   * start) or, without one, by page number.
   */
  async list(filter: ModelFilter, request: PageRequest & { page: number }): Promise<Page<Model> & { total: number }> {
    const [page, total] = await Promise.all([
      keysetPage(MODEL_LISTING, this.filtered(filter).selectAll('models'), { ...request, offset: (request.page - 1) * request.pageSize }, (row) =>
        toModel(row as ModelsTable),
      ),
      this.total(filter),
    ]);
    return { ...page, total };
  }

  private filtered(filter: ModelFilter) {
    return this.db
      .selectFrom('models')
      .$if(filter.kitId !== undefined, (q) => q.where('kit_id', '=', filter.kitId!))
      .$if(filter.runId !== undefined, (q) => q.where('run_id', '=', filter.runId!))
      .$if(filter.algorithm !== undefined, (q) => q.where('algorithm', '=', filter.algorithm!));
  }

  /** Models matching the filter: counted; all models are counted while few and estimated from the table statistics beyond. */
  private total(filter: ModelFilter): Promise<number> {
    const unfiltered = filter.kitId === undefined && filter.runId === undefined && filter.algorithm === undefined;
    return listTotal(this.db, `${READ_SCHEMA}.models`, unfiltered, async () => {
      const count = await this.filtered(filter)
        .select((eb) => eb.fn.countAll<string>().as('total'))
        .executeTakeFirstOrThrow();
      return Number(count.total);
    });
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
