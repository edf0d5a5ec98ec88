import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '@vista/db';
import type { ModelArtifact } from '@vista/modeling';
import { ML_SCHEMA } from '../config/ml.config.js';

export interface NewModel {
  readonly modelId: string;
  readonly kitId: number;
  readonly runId: string;
  readonly jobId: string;
  readonly attempt: number;
  readonly algorithm: string;
  readonly metrics: Record<string, number>;
  readonly lineage: Record<string, unknown>;
  readonly artifactJson: string;
  readonly digest: string;
}

export interface StoredModel {
  readonly modelId: string;
  readonly modelVersion: number;
  /** The model's human name, `kit-<kitId>-v<version>-<algorithm>`: what latency metrics call `model_name`. */
  readonly modelName: string;
  readonly artifact: ModelArtifact;
}

/** A model's human name: the kit, the version within it and the algorithm. */
export const modelNameOf = (kitId: number, modelVersion: number, algorithm: string): string => `kit-${kitId}-v${modelVersion}-${algorithm}`;

/** The model registry's durable record: every trained model, versioned per kit, with its artifact. */
@Injectable()
export class ModelRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  /** Stores a model under the kit's next version; returns the version. Retries when two register at once. */
  async register(model: NewModel): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await sql<{ model_version: number }>`
          insert into ${sql.id(ML_SCHEMA, 'models')} (model_id, kit_id, model_version, run_id, job_id, attempt, algorithm, metrics, lineage, artifact, digest)
          select ${model.modelId}, ${model.kitId}, coalesce(max(model_version), 0) + 1, ${model.runId}, ${model.jobId}, ${model.attempt}, ${model.algorithm},
            ${JSON.stringify(model.metrics)}::jsonb, ${JSON.stringify(model.lineage)}::jsonb, ${model.artifactJson}::jsonb, ${model.digest}
          from ${sql.id(ML_SCHEMA, 'models')} where kit_id = ${model.kitId}
          returning model_version`.execute(this.db);
        return rows[0]!.model_version;
      } catch (error) {
        // Another model of the kit took the same version number: take the next one.
        if ((error as { code?: string }).code === '23505' && attempt < 5) continue;
        throw error;
      }
    }
  }

  async find(modelId: string): Promise<StoredModel | undefined> {
    const { rows } = await sql<{ model_id: string; model_version: number; kit_id: number; algorithm: string; artifact: ModelArtifact }>`
      select model_id, model_version, kit_id, algorithm, artifact from ${sql.id(ML_SCHEMA, 'models')} where model_id = ${modelId}`.execute(this.db);
    const row = rows[0];
    return (
      row && {
        modelId: row.model_id,
        modelVersion: row.model_version,
        modelName: modelNameOf(row.kit_id, row.model_version, row.algorithm),
        artifact: row.artifact,
      }
    );
  }
}
