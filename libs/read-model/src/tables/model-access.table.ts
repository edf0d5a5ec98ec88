import { sql } from 'kysely';
import { IDENTITY } from './migration-names.js';
import { defineTable, type JsonObject, type NullableJson, type Timestamp } from './table.js';

/** The grant of a set-up model to a user (`ModelAccessGranted`), stamped with its event's position. */
export interface ModelAccessGrant {
  requestId: string;
  grantedBy: string;
  at: string;
  position: number;
}

/** The revocation of a grant (`ModelAccessRevoked`), stamped with its event's position. */
export interface ModelAccessRevocation {
  reason: string;
  revokedBy: string;
  at: string;
  position: number;
}

/** Whether a user may use a set-up model: granted, or revoked since. */
export interface ModelAccessTable {
  setup_model_id: string;
  user_id: string;
  status: 'granted' | 'revoked';
  /** The latest grant; kept after a revocation. */
  granted: NullableJson<ModelAccessGrant>;
  /** The latest revocation; kept after a new grant (`status` says which came last). */
  revoked: NullableJson<ModelAccessRevocation>;
  updated_at: Timestamp;
  position: number;
}

export interface ModelAccessRow {
  setup_model_id: string;
  user_id: string;
  status: 'granted' | 'revoked';
  granted: JsonObject | null;
  revoked: JsonObject | null;
  updated_at: string;
  position: number;
}

export const modelAccessTable = defineTable<ModelAccessRow>({
  name: 'model_access',
  columns: {
    setup_model_id: 'uuid',
    user_id: 'uuid',
    status: 'text',
    granted: 'jsonb',
    revoked: 'jsonb',
    updated_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['setup_model_id', 'user_id'],
    latest: ['status', 'updated_at'],
    stamped: ['granted', 'revoked'],
  },
  migrations: {
    [IDENTITY]: {
      up: (s) => [
        sql`
          create table ${s}.model_access (
            setup_model_id uuid not null,
            user_id uuid not null,
            status text not null,
            granted jsonb,
            revoked jsonb,
            updated_at timestamptz not null,
            position bigint not null,
            primary key (setup_model_id, user_id)
          )`,
        sql`create index model_access_user_id on ${s}.model_access (user_id)`,
      ],
      down: (s) => [sql`drop table ${s}.model_access`],
    },
  },
});
