import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import { ValidationError } from '@vista/contracts';
import { type Kysely, sql } from 'kysely';
import type { JobListItem, JobLogLine, JobView } from '../dto/job.response.js';
import { defineListing, isCastFailure, keysetPage, type Page, type PageRequest } from './listing.js';
import { READ_SCHEMA, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';
import { attemptsOf, newestFirst } from './stage-views.js';

export interface JobLogsRequest {
  readonly attempt?: number;
  readonly limit: number;
  /** Lines to skip (numbered access); ignored after a cursor. */
  readonly offset: number;
  /** The previous page's `nextCursor`: continue after its last line. */
  readonly cursor?: string;
}

/** A job's log lines in the order they tell the story; the event id and line make the order total. */
const LOG_ORDER = sql`(job_logs.attempt, job_logs.at, job_logs.position, job_logs.seq, job_logs.event_id)`;
const LOG_CURSOR = 'job-logs';

/** Where a page of log lines ended: the last line's key, as text (exact, microseconds included). */
type LogKey = [attempt: string, at: string, position: string, seq: string, eventId: string];

const logCursorProblem = () =>
  new ValidationError('cursor is not one this list gave', [{ path: 'cursor', message: "must be a nextCursor of this job's logs" }]);

function decodeLogCursor(text: string): LogKey {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString());
  } catch {
    throw logCursorProblem();
  }
  if (!Array.isArray(parts) || parts.length !== 6 || parts[0] !== LOG_CURSOR || !parts.every((p) => typeof p === 'string')) throw logCursorProblem();
  return parts.slice(1) as LogKey;
}

/** One row per job attempt (an ML attempt per step) over the four stage tables, with its stage and task. */
const t = (name: string) => sql.table(`${READ_SCHEMA}.${name}`);
const COLUMNS = sql`job_id, run_id, kit_id, attempt, status, reason, requested_at, started_at, finished_at, created_at, position`;
const JOB_ATTEMPTS = sql<JobAttemptRow>`(
  select 'deck' as stage, 'deck_collection' as task, ${COLUMNS} from ${t('deck_collection')}
  union all select 'doe', 'doe', ${COLUMNS} from ${t('doe_step')}
  union all select 'ml', step_name, ${COLUMNS} from ${t('ml_step')}
  union all select 'optimize', 'optimize', ${COLUMNS} from ${t('optimize_step')}
)`;

interface JobAttemptRow {
  stage: string;
  task: string;
  job_id: string;
  run_id: string;
  kit_id: number;
  attempt: number;
  status: string;
  reason: string | null;
  requested_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  position: number;
}

/** Jobs: the newest first by default. */
export const JOB_LISTING = defineListing({
  name: 'jobs',
  sorts: {
    createdAt: { sql: sql`jobs.created_at`, type: 'timestamptz' },
    startedAt: { sql: sql`coalesce(jobs.started_at, 'epoch'::timestamptz)`, type: 'timestamptz' },
    status: { sql: sql`jobs.status`, type: 'text' },
  },
  // Unique per row: the job, its attempt and (for ML) its step.
  id: { sql: sql`(jobs.job_id::text || ':' || lpad(jobs.attempt::text, 10, '0') || ':' || jobs.task)`, type: 'text' },
  defaultSort: '-createdAt',
});

export interface JobFilter {
  /** Only jobs of this user's runs. */
  readonly owner?: string;
  readonly kitId?: number;
  readonly runId?: string;
  readonly stage?: string;
  readonly status?: string;
  readonly projectId?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
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

  /** One keyset page of job attempts matching `filter`; a job's owner is its run's. */
  async list(filter: JobFilter, request: PageRequest): Promise<Page<JobListItem>> {
    const query = this.db
      .selectFrom(JOB_ATTEMPTS.as('jobs'))
      .leftJoin('runs', 'runs.run_id', 'jobs.run_id')
      .selectAll('jobs')
      .select('runs.started_by')
      .$if(filter.owner !== undefined, (q) => q.where('runs.started_by', '=', filter.owner!))
      .$if(filter.kitId !== undefined, (q) => q.where('jobs.kit_id', '=', filter.kitId!))
      .$if(filter.runId !== undefined, (q) => q.where('jobs.run_id', '=', filter.runId!))
      .$if(filter.stage !== undefined, (q) => q.where('jobs.stage', '=', filter.stage!))
      .$if(filter.status !== undefined, (q) => q.where('jobs.status', '=', filter.status!))
      .$if(filter.projectId !== undefined, (q) =>
        q.where(sql<boolean>`jobs.kit_id in (select k.kit_id from ${t('kits')} k where k.definition ->> 'projectId' = ${filter.projectId!})`),
      )
      .$if(filter.createdFrom !== undefined, (q) => q.where('jobs.created_at', '>=', new Date(filter.createdFrom!)))
      .$if(filter.createdTo !== undefined, (q) => q.where('jobs.created_at', '<=', new Date(filter.createdTo!)));
    return keysetPage(JOB_LISTING, query, request, (row) => ({
      jobId: row.job_id,
      stage: row.stage,
      task: row.task,
      kitId: row.kit_id,
      runId: row.run_id,
      attempt: row.attempt,
      status: row.status,
      reason: row.reason,
      createdAt: iso(row.created_at),
      requestedAt: iso(row.requested_at),
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      owner: row.started_by ?? null,
      links: { job: `/api/v1/jobs/${row.job_id}`, logs: `/api/v1/jobs/${row.job_id}/logs` },
      position: Number(row.position),
    }));
  }

  /**
   * A page of the job's log lines in the order they tell the story: attempt, time, then line. After a
   * cursor, the lines following the previous page's last (keyset: lines logged meanwhile by a running
   * job are neither repeated nor skipped); without one, from `offset`.
   */
  async logs(jobId: string, request: JobLogsRequest): Promise<{ items: JobLogLine[]; nextCursor: string | null }> {
    let query = this.db
      .selectFrom('job_logs')
      .selectAll()
      .select(sql<LogKey>`array[attempt::text, at::text, position::text, seq::text, event_id::text]`.as('log_key'))
      .where('job_id', '=', jobId);
    if (request.attempt !== undefined) query = query.where('attempt', '=', request.attempt);
    if (request.cursor !== undefined) {
      const [attempt, at, position, seq, eventId] = decodeLogCursor(request.cursor);
      query = query.where(
        sql<boolean>`${LOG_ORDER} > (cast(${attempt} as integer), cast(${at} as timestamptz), cast(${position} as bigint), cast(${seq} as integer), cast(${eventId} as uuid))`,
      );
    } else if (request.offset > 0) {
      query = query.offset(request.offset);
    }
    let rows;
    try {
      rows = await query.orderBy('attempt').orderBy('at').orderBy('position').orderBy('seq').orderBy('event_id').limit(request.limit + 1).execute();
    } catch (error) {
      // A cursor whose values do not cast back was not made by this list.
      if (request.cursor !== undefined && isCastFailure(error)) throw logCursorProblem();
      throw error;
    }
    const more = rows.length > request.limit;
    const shown = more ? rows.slice(0, request.limit) : rows;
    const last = shown[shown.length - 1];
    return {
      items: shown.map((row) => ({
        attempt: row.attempt,
        at: iso(row.at),
        seq: row.seq,
        level: row.level,
        task: row.task,
        message: row.message,
        position: Number(row.position),
      })),
      nextCursor: more && last ? Buffer.from(JSON.stringify([LOG_CURSOR, ...last.log_key])).toString('base64url') : null,
    };
  }

  /** Whether the read model knows the job at all: a stage row or a logged line. */
  async exists(jobId: string): Promise<boolean> {
    const known = (table: string) => sql`exists (select 1 from ${sql.table(`${READ_SCHEMA}.${table}`)} where job_id = ${jobId})`;
    const tables = ['deck_collection', 'doe_step', 'ml_step', 'optimize_step', 'job_logs'];
    const { rows } = await sql<{ known: boolean }>`select ${sql.join(tables.map(known), sql` or `)} as known`.execute(this.db);
    return rows[0]?.known === true;
  }
}
