import { sql } from 'kysely';
import { STAGE_ATTEMPTS } from './migration-names.js';
import { defineTable, type Timestamp } from './table.js';

/** One line a job wrote (`JobLogged`); an event's lines are keyed by (event_id, seq). */
export interface JobLogsTable {
  event_id: string;
  /** The line's index in its event. */
  seq: number;
  job_id: string;
  attempt: number;
  job_type: string;
  kit_id: number;
  run_id: string;
  at: Timestamp;
  level: string;
  task: string | null;
  message: string;
  position: number;
}

export interface JobLogRow {
  event_id: string;
  seq: number;
  job_id: string;
  attempt: number;
  job_type: string;
  kit_id: number;
  run_id: string;
  at: string;
  level: string;
  task: string | null;
  message: string;
  position: number;
}

/** Append-only, like the history: a line already there (same event, same index) stays as it is. */
export const jobLogsTable = defineTable<JobLogRow>({
  name: 'job_logs',
  columns: {
    event_id: 'uuid',
    seq: 'integer',
    job_id: 'uuid',
    attempt: 'integer',
    job_type: 'text',
    kit_id: 'integer',
    run_id: 'uuid',
    at: 'timestamptz',
    level: 'text',
    task: 'text',
    message: 'text',
    position: 'bigint',
  },
  migrations: {
    [STAGE_ATTEMPTS]: {
      up: (s) => [
        sql`
          create table ${s}.job_logs (
            event_id uuid not null,
            seq integer not null,
            job_id uuid not null,
            attempt integer not null,
            job_type text not null,
            kit_id integer not null,
            run_id uuid not null,
            at timestamptz not null,
            level text not null,
            task text,
            message text not null,
            position bigint not null,
            primary key (event_id, seq)
          )`,
        sql`create index job_logs_job on ${s}.job_logs (job_id, attempt, at)`,
      ],
      down: (s) => [sql`drop table ${s}.job_logs`],
    },
  },
});
