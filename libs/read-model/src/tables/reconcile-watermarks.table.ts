import { sql } from 'kysely';
import { RECONCILE } from './migration-names.js';
import { defineTable, type Timestamp } from './table.js';

/**
 * How far the reconciler has verified each service's log against the read model: every event of
 * `log_schema` up to (transaction_id, global_position), in relay order, is folded. The reconciler
 * reads only what lies after it (a watermark, not a scan).
 */
export interface ReconcileWatermarksTable {
  log_schema: string;
  transaction_id: string;
  global_position: number;
  updated_at: Timestamp;
}

export interface ReconcileWatermarkRow {
  log_schema: string;
  transaction_id: string;
  global_position: number;
  updated_at: string;
}

export const reconcileWatermarksTable = defineTable<ReconcileWatermarkRow>({
  name: 'reconcile_watermarks',
  columns: { log_schema: 'text', transaction_id: 'text', global_position: 'bigint', updated_at: 'timestamptz' },
  migrations: {
    [RECONCILE]: {
      up: (s) => [
        sql`
          create table ${s}.reconcile_watermarks (
            log_schema text primary key,
            transaction_id xid8 not null,
            global_position bigint not null,
            updated_at timestamptz not null default now()
          )`,
      ],
      down: (s) => [sql`drop table ${s}.reconcile_watermarks`],
    },
  },
});
