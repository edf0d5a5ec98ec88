import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@vista/db';

/** The read model's schema, kept by the projector from every service's events. */
export const READ_SCHEMA = 'read';

interface ReadDb {
  setup_models: { setup_model_id: string; registry_model_id: string; owner_id: string; name: string };
  model_access: { setup_model_id: string; user_id: string; status: string };
  models: { model_id: string; model_version: number; factors: string[] | null; response: string | null };
}

export interface SetupModelInfo {
  readonly setupModelId: string;
  readonly name: string;
  readonly ownerId: string;
  readonly registryModelId: string;
  /** The registry model's version, factors and response, once the registry model is known to the read model. */
  readonly modelVersion: number | null;
  readonly factors: string[] | null;
  readonly response: string | null;
}

/**
 * Set-up models, who may use them, and the registry models they copy, as the read model shows them
 * (the auth and ml services' events, folded by the projector).
 */
@Injectable()
export class ModelCatalogRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<ReadDb>) {}

  private get read() {
    return this.db.withSchema(READ_SCHEMA);
  }

  async setupModels(ids: readonly string[]): Promise<Map<string, SetupModelInfo>> {
    if (ids.length === 0) return new Map();
    const rows = await this.read
      .selectFrom('setup_models as s')
      .leftJoin('models as m', 'm.model_id', 's.registry_model_id')
      .select(['s.setup_model_id', 's.name', 's.owner_id', 's.registry_model_id', 'm.model_version', 'm.factors', 'm.response'])
      .where('s.setup_model_id', 'in', [...new Set(ids)])
      .execute();
    return new Map(
      rows.map((r) => [
        r.setup_model_id,
        {
          setupModelId: r.setup_model_id,
          name: r.name,
          ownerId: r.owner_id,
          registryModelId: r.registry_model_id,
          modelVersion: r.model_version ?? null,
          factors: r.factors ?? null,
          response: r.response ?? null,
        },
      ]),
    );
  }

  /** The set-up models among `ids` the user was granted (owners and admins are decided by the caller). */
  async grantedTo(userId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.read
      .selectFrom('model_access')
      .select('setup_model_id')
      .where('user_id', '=', userId)
      .where('status', '=', 'granted')
      .where('setup_model_id', 'in', [...new Set(ids)])
      .execute();
    return new Set(rows.map((r) => r.setup_model_id));
  }
}
