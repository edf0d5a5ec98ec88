import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '@vista/db';
import { OPTIMIZE_SCHEMA } from '../config/optimize.config.js';

/** Each optimisation's result with its whole trace of evaluations (the event carries a bounded part). */
@Injectable()
export class ResultRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  async save(row: { jobId: string; attempt: number; runId: string; modelId: string; result: Record<string, unknown>; trace: unknown[] }): Promise<void> {
    await sql`
      insert into ${sql.id(OPTIMIZE_SCHEMA, 'results')} (job_id, attempt, run_id, model_id, result, trace)
      values (${row.jobId}, ${row.attempt}, ${row.runId}, ${row.modelId}, ${JSON.stringify(row.result)}::jsonb, ${JSON.stringify(row.trace)}::jsonb)
      on conflict (job_id, attempt) do update set result = excluded.result, trace = excluded.trace, created_at = now()`.execute(this.db);
  }
}
