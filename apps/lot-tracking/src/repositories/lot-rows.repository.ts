import { Inject, Injectable } from '@nestjs/common';
import { type Generated, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { ListLotRowsV1, LotRowStatus, LotRowView } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { LOT_TRACKING_SCHEMA } from '../config/lot-tracking.config.js';

export interface LotRowsTable {
  row_id: string;
  lot_id: string;
  product: string;
  process_step: string;
  equipment: string;
  wafer_count: number;
  setup_model_id: string;
  factors: Record<string, number>;
  note: string | null;
  status: LotRowStatus;
  version: number;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
  retired_reason: string | null;
  /** Insertion order, the keyset of listings. */
  seq: Generated<string>;
}

export interface LotRowsDb {
  lot_rows: LotRowsTable;
}

export type LotRowRecord = Selectable<LotRowsTable>;
export type NewLotRow = Omit<LotRowRecord, 'seq'>;

export const lotRowView = (r: LotRowRecord): LotRowView => ({
  rowId: r.row_id,
  lotId: r.lot_id,
  product: r.product,
  processStep: r.process_step,
  equipment: r.equipment,
  waferCount: r.wafer_count,
  setupModelId: r.setup_model_id,
  factors: r.factors,
  note: r.note,
  status: r.status,
  version: r.version,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
  retiredReason: r.retired_reason,
});

/** The lot rows as their events left them; written in the transaction that appends those events. */
@Injectable()
export class LotRowsRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<LotRowsDb>) {}

  private from(trx?: Transaction<any>) {
    return (trx ?? this.db).withSchema(LOT_TRACKING_SCHEMA) as Kysely<LotRowsDb>;
  }

  /** Active rows already holding one of these (lot, step, model) keys. */
  async activeDuplicates(keys: readonly { lotId: string; processStep: string; setupModelId: string }[], trx?: Transaction<any>): Promise<LotRowRecord[]> {
    if (keys.length === 0) return [];
    const found: LotRowRecord[] = [];
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      const rows = await this.from(trx)
        .selectFrom('lot_rows')
        .selectAll()
        .where('status', '=', 'active')
        .where((eb) =>
          eb.or(chunk.map((k) => eb.and([eb('lot_id', '=', k.lotId), eb('process_step', '=', k.processStep), eb('setup_model_id', '=', k.setupModelId)]))),
        )
        .execute();
      found.push(...rows);
    }
    return found;
  }

  async insert(rows: readonly NewLotRow[], trx: Transaction<any>): Promise<LotRowRecord[]> {
    const inserted: LotRowRecord[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, factors: JSON.stringify(r.factors) as never }));
      inserted.push(...(await this.from(trx).insertInto('lot_rows').values(chunk).returningAll().execute()));
    }
    return inserted;
  }

  async replace(row: NewLotRow, trx: Transaction<any>): Promise<LotRowRecord> {
    const { row_id, ...rest } = row;
    return this.from(trx)
      .updateTable('lot_rows')
      .set({ ...rest, factors: JSON.stringify(rest.factors) as never })
      .where('row_id', '=', row_id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  find(rowId: string, trx?: Transaction<any>): Promise<LotRowRecord | undefined> {
    return this.from(trx).selectFrom('lot_rows').selectAll().where('row_id', '=', rowId).executeTakeFirst();
  }

  /** Filtered rows by keyset pages in insertion order: `limit` rows after `afterSeq`, and whether more follow. */
  async list(filter: ListLotRowsV1, limit: number): Promise<{ rows: LotRowRecord[]; more: boolean }> {
    let q = this.from().selectFrom('lot_rows').selectAll();
    if (filter.lotId !== undefined) q = q.where('lot_id', '=', filter.lotId);
    if (filter.product !== undefined) q = q.where('product', '=', filter.product);
    if (filter.processStep !== undefined) q = q.where('process_step', '=', filter.processStep);
    if (filter.equipment !== undefined) q = q.where('equipment', '=', filter.equipment);
    if (filter.setupModelId !== undefined) q = q.where('setup_model_id', '=', filter.setupModelId);
    const status = filter.status ?? 'active';
    if (status !== 'all') q = q.where('status', '=', status);
    if (filter.cursor !== undefined) q = q.where('seq', '>', filter.cursor);
    const rows = await q
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /** Every active row, in a stable order (the batch's input). */
  active(trx?: Transaction<any>): Promise<LotRowRecord[]> {
    return this.from(trx).selectFrom('lot_rows').selectAll().where('status', '=', 'active').orderBy('row_id').execute();
  }

  /** Serialises writers of lot rows against the batch's snapshot of them (a transaction-scoped advisory lock). */
  async lockRows(trx: Transaction<any>): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`${LOT_TRACKING_SCHEMA}.lot_rows`}))`.execute(trx);
  }
}
