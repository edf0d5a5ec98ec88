import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import { type Kysely, sql } from 'kysely';
import type { JobLogLine, JobView } from '../dto/job.response.js';
import { READ_SCHEMA, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';
import { attemptsOf, newestFirst } from './stage-views.js';

export interface JobLogsRequest {
  readonly attempt?: number;
  readonly limit: number;
  readonly offset: number;
}

/** Reads jobs from the `read` schema: every attempt of a job, and the lines it logged. */
@Injectable()
export class JobQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  /** Every attempt of a job (an ML job's with its steps), the newest first; undefined when no stage row names it. */
  async get(jobId: string): Promise<JobView | undefined> {
    // A job lives in one stage table; each lookup is a primary-key prefix scan.
    const [deck, doe, ml, optimize] = await Promise.all([
      this.db.selectFrom('deck_collection').selectAll().where('job_id', '=', jobId).execute(),
      this.db.selectFrom('doe_step').selectAll().where('job_id', '=', jobId).execute(),
      this.db.selectFrom('ml_step').selectAll().where('job_id', '=', jobId).execute(),
      this.db.selectFrom('optimize_step').selectAll().where('job_id', '=', jobId).execute(),
    ]);
    const attempts = newestFirst(attemptsOf({ deck, doe, ml, optimize }));
    const newest = attempts[0];
    if (!newest) return undefined;
    return { jobId, jobType: newest.jobType, kitId: newest.kitId, runId: newest.runId, attempts };
  }

  /** A page of the job's log lines in the order they tell the story: attempt, time, then line. */
  async logs(jobId: string, request: JobLogsRequest): Promise<JobLogLine[]> {
    let query = this.db.selectFrom('job_logs').selectAll().where('job_id', '=', jobId);
    if (request.attempt !== undefined) query = query.where('attempt', '=', request.attempt);
    const rows = await query.orderBy('attempt').orderBy('at').orderBy('position').orderBy('seq').limit(request.limit).offset(request.offset).execute();
    return rows.map((row) => ({
      attempt: row.attempt,
      at: iso(row.at),
      seq: row.seq,
      level: row.level,
      task: row.task,
      message: row.message,
      position: Number(row.position),
    }));
  }

  /** Whether the read model knows the job at all: a stage row or a logged line. */
  async exists(jobId: string): Promise<boolean> {
    const known = (table: string) => sql`exists (select 1 from ${sql.table(`${READ_SCHEMA}.${table}`)} where job_id = ${jobId})`;
    const tables = ['deck_collection', 'doe_step', 'ml_step', 'optimize_step', 'job_logs'];
    const { rows } = await sql<{ known: boolean }>`select ${sql.join(tables.map(known), sql` or `)} as known`.execute(this.db);
    return rows[0]?.known === true;
  }
}
