import { sql } from 'kysely';
import { IDENTITY } from './migration-names.js';
import { defineTable, type Timestamp } from './table.js';

/** Users who may no longer log in (`UserDeactivated`): the gateway refuses their still unexpired tokens. */
export interface DeactivatedUsersTable {
  user_id: string;
  deactivated_at: Timestamp;
  position: number;
}

export interface DeactivatedUserRow {
  user_id: string;
  deactivated_at: string;
  position: number;
}

export const deactivatedUsersTable = defineTable<DeactivatedUserRow>({
  name: 'deactivated_users',
  columns: {
    user_id: 'text',
    deactivated_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['user_id'],
    latest: [],
    earliest: ['deactivated_at'],
  },
  migrations: {
    // The shape the gateway reads (`user_id text primary key, deactivated_at timestamptz`).
    [IDENTITY]: {
      up: (s) => [
        sql`
          create table ${s}.deactivated_users (
            user_id text primary key,
            deactivated_at timestamptz not null default now(),
            position bigint not null
          )`,
      ],
      down: (s) => [sql`drop table ${s}.deactivated_users`],
    },
  },
});
