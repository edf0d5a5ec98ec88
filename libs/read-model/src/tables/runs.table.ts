import { sql } from 'kysely';
import type { JobStatus } from '@vista/contracts';
import { CREATE, OWNERS, STAGE_ATTEMPTS } from './migration-names.js';
import { defineTable, type JsonObject, type NullableJson, type NullableTimestamp } from './table.js';

/** A stop or retry of a run (`KitRunStopped` / `KitRunRetried`). */
export interface RunControl {
  action: 'stop' | 'retry';
  at: string;
  reason: string | null;
  actor: string;
  /** Position of the event: the newest control wins, whatever order events are applied in. */
  position: number;
}

export interface RunsTable {
  run_id: string;
  kit_id: number;
  deck_id: string | null;
  source_path: string | null;
  params: NullableJson;
  started_at: NullableTimestamp;
  status: string;
  /** The latest stop or retry asked for the run, with the position of its event. */
  last_control: NullableJson<RunControl>;
  started_by: string | null;
  position: number;
}

export interface RunRow {
  run_id: string;
  kit_id: number;
  deck_id: string | null;
  source_path: string | null;
  params: JsonObject | null;
  started_at: string | null;
  status: JobStatus;
  last_control: RunControl | null;
  /** Who started the run (the KitRunStarted event's actor: a user id or `service:<name>`). */
  started_by: string | null;
  position: number;
}

export const runsTable = defineTable<RunRow>({
  name: 'runs',
  columns: {
    run_id: 'uuid',
    kit_id: 'integer',
    deck_id: 'uuid',
    source_path: 'text',
    params: 'jsonb',
    started_at: 'timestamptz',
    status: 'text',
    last_control: 'jsonb',
    started_by: 'text',
    position: 'bigint',
  },
  merge: {
    key: ['run_id'],
    latest: ['status'],
    once: ['kit_id', 'deck_id', 'source_path', 'params', 'started_at', 'started_by'],
    // Rows of KitRunStopped / KitRunRetried have position 0 (they never win `latest`); the control
    // they record is stamped with its event's position.
    stamped: ['last_control'],
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.runs (
            run_id uuid primary key,
            kit_id integer not null,
            deck_id uuid,
            source_path text,
            params jsonb,
            started_at timestamptz,
            status text not null,
            position bigint not null
          )`,
        sql`create index runs_kit_id on ${s}.runs (kit_id)`,
      ],
      down: (s) => [sql`drop table ${s}.runs`],
    },
    // {action, at, reason, actor, position}: its own position, so it merges independently of the run's status.
    [STAGE_ATTEMPTS]: {
      up: (s) => [sql`alter table ${s}.runs add column last_control jsonb`],
      down: (s) => [sql`alter table ${s}.runs drop column last_control`],
    },
    [OWNERS]: {
      up: (s) => [sql`alter table ${s}.runs add column started_by text`],
      down: (s) => [sql`alter table ${s}.runs drop column started_by`],
    },
  },
});
