import { type Generated, type RawBuilder, sql } from 'kysely';
import type { JobStatus } from '@vista/contracts';
import { CREATE, KITS_CHANGED, OWNERS, RESOURCES } from './migration-names.js';
import { defineTable, type NullableJson, type Timestamp } from './table.js';

/** A kit's status before its first run (a kit created as a named task). */
export const KIT_NEW = 'NEW';

/**
 * A kit as a named task (KitCreated, replaced whole by each KitUpdated / KitArchived), stamped with
 * the position of the event that set it: the newest wins, and it never touches the run columns.
 */
export interface KitDefinition {
  name: string;
  description: string | null;
  defaultParams: Record<string, unknown>;
  projectId: string | null;
  archived: boolean;
  archivedAt: string | null;
  updatedAt: string;
  updatedBy: string | null;
  position: number;
}

/**
 * When a kit last changed, by its runs or by its definition: the later of the two. The lists' default
 * order, served by the indexes `kits_changed` and `kits_owner_changed` — a query must name it exactly
 * so (`schema` is the read schema the query reads) for the planner to match them.
 */
export const kitChangedAt = (schema: RawBuilder<unknown>): RawBuilder<unknown> =>
  sql`greatest(kits.updated_at, coalesce(${schema}.iso_time(kits.definition ->> 'updatedAt'), kits.updated_at))`;

/** A kit: where its latest run stands. */
export interface KitsTable {
  kit_id: number;
  last_run_id: string | null;
  status: string;
  current_task: string | null;
  current_order: number | null;
  runs: Generated<number>;
  owner: string | null;
  definition: NullableJson<KitDefinition>;
  created_at: Timestamp;
  updated_at: Timestamp;
  position: number;
}

export interface KitRow {
  kit_id: number;
  last_run_id: string | null;
  /** The latest run's status, or NEW for a kit created before any run. */
  status: JobStatus | typeof KIT_NEW;
  current_task: string | null;
  current_order: number | null;
  /** Runs started: each new KitRunStarted adds one. */
  runs: number;
  /** Who started the kit's first run (a user id, or `service:<name>`); null for kits from before owners were recorded. */
  owner: string | null;
  /** Name, description, default parameters, project; null for a kit only ever started, never created. */
  definition: KitDefinition | null;
  created_at: string;
  updated_at: string;
  position: number;
}

export const kitsTable = defineTable<KitRow>({
  name: 'kits',
  columns: {
    kit_id: 'integer',
    last_run_id: 'uuid',
    status: 'text',
    current_task: 'text',
    current_order: 'integer',
    runs: 'integer',
    owner: 'text',
    definition: 'jsonb',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['kit_id'],
    latest: ['last_run_id', 'status', 'current_task', 'current_order', 'updated_at'],
    once: ['owner'],
    earliest: ['created_at'],
    summed: ['runs'],
    // An update's row has position 0 (its placeholder columns never win); its definition merges on its own stamp.
    stamped: ['definition'],
  },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.kits (
            kit_id integer primary key,
            last_run_id uuid,
            status text not null,
            current_task text,
            current_order integer,
            runs integer not null default 0,
            created_at timestamptz not null,
            updated_at timestamptz not null,
            position bigint not null
          )`,
        sql`create index kits_updated_at on ${s}.kits (updated_at desc, kit_id)`,
      ],
      down: (s) => [sql`drop table ${s}.kits`],
    },
    [OWNERS]: {
      up: (s) => [sql`alter table ${s}.kits add column owner text`, sql`create index kits_owner on ${s}.kits (owner, updated_at desc, kit_id)`],
      down: (s) => [sql`drop index ${s}.kits_owner`, sql`alter table ${s}.kits drop column owner`],
    },
    [RESOURCES]: {
      up: (s) => [
        sql`alter table ${s}.kits add column definition jsonb`,
        sql`create index kits_project on ${s}.kits ((definition ->> 'projectId'), kit_id) where definition is not null`,
      ],
      down: (s) => [sql`drop index ${s}.kits_project`, sql`alter table ${s}.kits drop column definition`],
    },
    [KITS_CHANGED]: {
      up: (s) => [
        // Text to timestamptz is only STABLE in general (a text without an offset reads in the session's time
        // zone); a definition's updatedAt is always an ISO 8601 instant with its offset (Date#toISOString),
        // which reads the same under every TimeZone and DateStyle — so on the values given it, immutable,
        // which is what lets an index hold it.
        sql`create function ${s}.iso_time(instant text) returns timestamptz
              language sql immutable strict parallel safe
              as $$ select instant::timestamptz $$`,
        sql`drop index ${s}.kits_updated_at`,
        sql`drop index ${s}.kits_owner`,
        // Both descending, like the default sort's ORDER BY and keyset (row comparison), so a page deep in the
        // list is an index range scan rather than a sort of every kit.
        sql`create index kits_changed on ${s}.kits ((${kitChangedAt(s)}) desc, kit_id desc)`,
        sql`create index kits_owner_changed on ${s}.kits (owner, (${kitChangedAt(s)}) desc, kit_id desc)`,
      ],
      down: (s) => [
        sql`drop index ${s}.kits_owner_changed`,
        sql`drop index ${s}.kits_changed`,
        sql`drop function ${s}.iso_time(text)`,
        sql`create index kits_owner on ${s}.kits (owner, updated_at desc, kit_id)`,
        sql`create index kits_updated_at on ${s}.kits (updated_at desc, kit_id)`,
      ],
    },
  },
});
