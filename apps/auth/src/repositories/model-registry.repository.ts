import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '@vista/db';

export interface RegistryModel {
  readonly modelId: string;
  readonly algorithm: string;
  readonly kitId: number;
}

const UNDEFINED_TABLE = '42P01';

/** The ml service's model registry as the projector shows it (`read.models`). */
@Injectable()
export class ModelRegistryRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  async find(modelId: string): Promise<RegistryModel | undefined> {
    try {
      const { rows } = await sql<{ model_id: string; algorithm: string; kit_id: number }>`
        select model_id, algorithm, kit_id from read.models where model_id = ${modelId}`.execute(this.db);
      return rows[0] && { modelId: rows[0].model_id, algorithm: rows[0].algorithm, kitId: Number(rows[0].kit_id) };
    } catch (error) {
      // No read model yet (the projector has not migrated): no model is registered.
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
  }
}
