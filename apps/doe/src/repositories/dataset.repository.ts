import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '@vista/db';
import { DOE_SCHEMA } from '../config/doe.config.js';

export interface NewDataset {
  readonly datasetId: string;
  readonly runId: string;
  readonly jobId: string;
  readonly attempt: number;
  readonly designType: string;
  readonly pointCount: number;
  readonly dataInfo: Record<string, unknown>;
  /** The labelled design as `TableArtifact` JSON. */
  readonly contentJson: string;
  readonly digest: string;
}

/** The labelled designs the DOE service generated: its durable copy of what it handed to ML. */
@Injectable()
export class DatasetRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  async insert(dataset: NewDataset): Promise<void> {
    await sql`
      insert into ${sql.id(DOE_SCHEMA, 'datasets')} (dataset_id, run_id, job_id, attempt, design_type, point_count, data_info, content, digest)
      values (${dataset.datasetId}, ${dataset.runId}, ${dataset.jobId}, ${dataset.attempt}, ${dataset.designType}, ${dataset.pointCount},
        ${JSON.stringify(dataset.dataInfo)}::jsonb, ${dataset.contentJson}::jsonb, ${dataset.digest})
      on conflict (dataset_id) do nothing`.execute(this.db);
  }
}
