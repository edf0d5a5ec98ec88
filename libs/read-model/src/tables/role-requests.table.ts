import { sql } from 'kysely';
import { IDENTITY } from './migration-names.js';
import { defineTable, type NullableTimestamp } from './table.js';

export const ROLE_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RoleRequestStatus = (typeof ROLE_REQUEST_STATUSES)[number];

/** A user's request for a role (`RoleRequested`) and its decision (`RoleRequestDecided`). */
export interface RoleRequestsTable {
  request_id: string;
  user_id: string;
  role: string;
  /** The requester's reason; null until the `RoleRequested` is folded. */
  reason: string | null;
  requested_at: NullableTimestamp;
  status: RoleRequestStatus;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: NullableTimestamp;
  position: number;
}

export interface RoleRequestRow {
  request_id: string;
  user_id: string;
  role: string;
  reason: string | null;
  requested_at: string | null;
  status: RoleRequestStatus;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  position: number;
}

export const roleRequestsTable = defineTable<RoleRequestRow>({
  name: 'role_requests',
  columns: {
    request_id: 'uuid',
    user_id: 'uuid',
    role: 'text',
    reason: 'text',
    requested_at: 'timestamptz',
    status: 'text',
    decided_by: 'uuid',
    decision_reason: 'text',
    decided_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['request_id'],
    // The decision comes after the request: the newest event says where the request stands.
    latest: ['status', 'decided_by', 'decision_reason', 'decided_at'],
    once: ['user_id', 'role', 'reason', 'requested_at'],
  },
  migrations: {
    [IDENTITY]: {
      up: (s) => [
        sql`
          create table ${s}.role_requests (
            request_id uuid primary key,
            user_id uuid not null,
            role text not null,
            reason text,
            requested_at timestamptz,
            status text not null,
            decided_by uuid,
            decision_reason text,
            decided_at timestamptz,
            position bigint not null
          )`,
        sql`create index role_requests_user_id on ${s}.role_requests (user_id)`,
        sql`create index role_requests_status on ${s}.role_requests (status, requested_at)`,
      ],
      down: (s) => [sql`drop table ${s}.role_requests`],
    },
  },
});
