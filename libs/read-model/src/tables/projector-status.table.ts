import { type ColumnType, type Generated, sql } from 'kysely';
import { CREATE } from './migration-names.js';
import { defineTable, type NullableTimestamp } from './table.js';

/** How far the projector has folded, and how far behind it is. */
export interface ProjectorStatusTable {
  projector: string;
  position: Generated<number>;
  applied_events: Generated<number>;
  lag_events: Generated<number>;
  lag_seconds: Generated<number>;
  heartbeat_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProjectorStatusRow {
  projector: string;
  position: number;
  applied_events: number;
  lag_events: number;
  lag_seconds: number;
  heartbeat_at: string | null;
  updated_at: string;
}

/** One row per projector, updated with every batch and heartbeat. */
export const projectorStatusTable = defineTable<ProjectorStatusRow>({
  name: 'projector_status',
  columns: {
    projector: 'text',
    position: 'bigint',
    applied_events: 'bigint',
    lag_events: 'bigint',
    lag_seconds: 'double precision',
    heartbeat_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.projector_status (
            projector text primary key,
            position bigint not null default 0,
            applied_events bigint not null default 0,
            lag_events bigint not null default 0,
            lag_seconds double precision not null default 0,
            heartbeat_at timestamptz,
            updated_at timestamptz not null default now()
          )`,
        sql`insert into ${s}.projector_status (projector) values ('projector')`,
      ],
      down: (s) => [sql`drop table ${s}.projector_status`],
    },
  },
});
