import { sql } from 'kysely';
import type { JobStatus } from '@vista/contracts';
import { CREATE, LEAN } from './migration-names.js';
import { defineTable, type Timestamp } from './table.js';

/**
 * Append-only, one row per state change: the seed's mlops_totalstate_table, plus references (run,
 * attempt, event id, position). Lean: the event's payload stays in its service's log, reachable by
 * `event_id` (its primary key); a row keeps only the failure reason besides the seed's columns.
 */
export interface StateHistoryTable {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: string;
  current_order: number;
  created_at: Timestamp;
  /** Why a job failed, timed out or was cancelled. */
  reason: string | null;
  /** Who made the change (the event's actor). */
  actor: string | null;
  event_id: string;
  position: number;
}

export interface HistoryRow {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: JobStatus;
  current_order: number;
  created_at: string;
  reason: string | null;
  /** Who made the change (the event's actor). */
  actor: string | null;
  event_id: string;
  position: number;
}

/** Append-only: a row already there (same event id) stays as it is; the row marks its event applied. */
export const stateHistoryTable = defineTable<HistoryRow>({
  name: 'state_history',
  columns: {
    kit_id: 'integer',
    job_type: 'text',
    task_name: 'text',
    job_id: 'uuid',
    run_id: 'uuid',
    attempt: 'integer',
    status: 'text',
    current_order: 'integer',
    created_at: 'timestamptz',
    reason: 'text',
    actor: 'text',
    event_id: 'uuid',
    position: 'bigint',
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.state_history (
            id bigserial primary key,
            kit_id integer not null,
            job_type text not null,
            task_name text not null,
            job_id uuid not null,
            run_id uuid not null,
            attempt integer not null,
            status text not null,
            current_order integer not null,
            created_at timestamptz not null,
            metadata jsonb not null default '{}',
            event_id uuid not null unique,
            position bigint not null
          )`,
        sql`create index state_history_kit_position on ${s}.state_history (kit_id, position)`,
      ],
      down: (s) => [sql`drop table ${s}.state_history`],
    },
    [LEAN]: {
      up: (s) => [
        sql`alter table ${s}.state_history add column reason text, add column actor text`,
        sql`update ${s}.state_history set reason = metadata ->> 'reason', actor = metadata ->> 'actor'`,
        sql`alter table ${s}.state_history drop column metadata`,
        // The event id identifies a row already (and keeps a re-delivered event out): no serial id beside it.
        sql`alter table ${s}.state_history drop column id, drop constraint state_history_event_id_key, add constraint state_history_pkey primary key (event_id)`,
      ],
      down: (s) => [
        sql`alter table ${s}.state_history drop constraint state_history_pkey`,
        sql`alter table ${s}.state_history add constraint state_history_event_id_key unique (event_id)`,
        sql`alter table ${s}.state_history add column id bigserial primary key`,
        sql`alter table ${s}.state_history add column metadata jsonb not null default '{}'`,
        sql`alter table ${s}.state_history drop column reason, drop column actor`,
      ],
    },
  },
});
