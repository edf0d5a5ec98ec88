import { sql } from 'kysely';
import type { JobStatus } from '@vista/contracts';
import { CREATE } from './migration-names.js';
import { defineTable, type Json, type JsonObject, type NullableTimestamp, type Timestamp } from './table.js';

/** The latest state row per (kit, job type, task): "where does kit 42 stand" is a key lookup. */
export interface KitStateTable {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: string;
  current_order: number;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  reason: string | null;
  metadata: Json;
  position: number;
}

export interface KitStateRow {
  kit_id: number;
  job_type: string;
  task_name: string;
  job_id: string;
  run_id: string;
  attempt: number;
  status: JobStatus;
  current_order: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  reason: string | null;
  metadata: JsonObject;
  position: number;
}

export const kitStateTable = defineTable<KitStateRow>({
  name: 'kit_state',
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
    started_at: 'timestamptz',
    finished_at: 'timestamptz',
    reason: 'text',
    metadata: 'jsonb',
    position: 'bigint',
  },
  merge: {
    key: ['kit_id', 'job_type', 'task_name'],
    // The row is the latest transition, whole: a column kept from another version could belong to
    // another job when an older job's late event interleaves (last writer by position is the only
    // merge that gives the same row in any order). A job's start and end times stay in its stage row.
    latest: ['job_id', 'run_id', 'attempt', 'status', 'current_order', 'created_at', 'started_at', 'finished_at', 'reason', 'metadata'],
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.kit_state (
            kit_id integer not null,
            job_type text not null,
            task_name text not null,
            job_id uuid not null,
            run_id uuid not null,
            attempt integer not null,
            status text not null,
            current_order integer not null,
            created_at timestamptz not null,
            started_at timestamptz,
            finished_at timestamptz,
            reason text,
            metadata jsonb not null default '{}',
            position bigint not null,
            primary key (kit_id, job_type, task_name)
          )`,
      ],
      down: (s) => [sql`drop table ${s}.kit_state`],
    },
  },
});
