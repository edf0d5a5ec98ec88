import { sql } from 'kysely';
import { IDENTITY } from './migration-names.js';
import { defineTable, type Json, type JsonObject, type NullableJson, type NullableTimestamp, type Timestamp } from './table.js';

/** A profile field's value, stamped with the position of the event that set it. */
export interface StampedValue<T> {
  value: T;
  position: number;
}

/** What a user is called and how to reach them, as registered and then updated (`UserRegistered`, `UserUpdated`). */
export interface UserProfile {
  name?: StampedValue<string>;
  email?: StampedValue<string | null>;
}

/** A role as it stands for a user: held since a `RoleGranted`, or not since a `RoleRevoked`. */
export interface UserRoleState {
  held: boolean;
  /** Who granted or revoked it (a user id, or `system:…`). */
  by: string;
  /** The approved request that granted it, when one did. */
  requestId?: string | null;
  reason?: string | null;
  at: string;
  position: number;
}

/** The deactivation of a user (`UserDeactivated`), stamped with its event's position. */
export interface UserDeactivation {
  at: string;
  reason: string | null;
  position: number;
}

/** A user of the identity service: who they are, the roles they hold, whether they may still log in. */
export interface UsersTable {
  user_id: string;
  /** Null until the user's `UserRegistered` is folded. */
  username: string | null;
  source: string | null;
  sso_subject: string | null;
  /** Field → its value, each stamped: a field updated keeps the newest value, whatever order the events are folded in. */
  profile: Json<UserProfile>;
  /** Role → its state, each stamped with the position of the event that set it; a role revoked stays, with `held: false`. */
  roles: Json<Record<string, UserRoleState>>;
  /** Null while the user is active. */
  deactivation: NullableJson<UserDeactivation>;
  registered_at: NullableTimestamp;
  registered_position: number | null;
  updated_at: Timestamp;
  position: number;
}

export interface UserRow {
  user_id: string;
  username: string | null;
  source: string | null;
  sso_subject: string | null;
  profile: JsonObject;
  roles: JsonObject;
  deactivation: JsonObject | null;
  registered_at: string | null;
  registered_position: number | null;
  updated_at: string;
  position: number;
}

export const usersTable = defineTable<UserRow>({
  name: 'users',
  columns: {
    user_id: 'uuid',
    username: 'text',
    source: 'text',
    sso_subject: 'text',
    profile: 'jsonb',
    roles: 'jsonb',
    deactivation: 'jsonb',
    registered_at: 'timestamptz',
    registered_position: 'bigint',
    updated_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['user_id'],
    latest: ['updated_at'],
    once: ['username', 'source', 'sso_subject', 'registered_at', 'registered_position'],
    stamped: ['deactivation'],
    stampedEntries: ['profile', 'roles'],
  },
  migrations: {
    [IDENTITY]: {
      up: (s) => [
        sql`
          create table ${s}.users (
            user_id uuid primary key,
            username text,
            source text,
            sso_subject text,
            profile jsonb not null default '{}'::jsonb,
            roles jsonb not null default '{}'::jsonb,
            deactivation jsonb,
            registered_at timestamptz,
            registered_position bigint,
            updated_at timestamptz not null,
            position bigint not null
          )`,
        sql`create index users_registered_at on ${s}.users (registered_at, user_id)`,
      ],
      down: (s) => [sql`drop table ${s}.users`],
    },
  },
});
