import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type {
  GetLotResultsResult,
  GetLotResultsV1,
  ListLotBatchesResult,
  ListLotBatchesV1,
  LotBatchStatus,
  LotBatchTrigger,
  LotBatchView,
  LotResultView,
} from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { LOT_TRACKING_SCHEMA } from '../config/lot-tracking.config.js';

export type ModelVersions = Record<string, { registryModelId: string; modelVersion: number }>;

export interface BatchDb {
  batch_attempts: {
    attempt_id: string;
    business_date: string;
    trigger: LotBatchTrigger;
    actor: string;
    status: LotBatchStatus;
    digest: string | null;
    started_at: Date;
    finished_at: Date | null;
    heartbeat_at: Date;
    total_rows: number;
    predicted_rows: number;
    skipped_rows: number;
    models: ModelVersions;
    reason: string | null;
  };
  batch_results: {
    attempt_id: string;
    row_id: string;
    row_version: number;
    lot_id: string;
    product: string;
    process_step: string;
    equipment: string;
    wafer_count: number;
    setup_model_id: string;
    registry_model_id: string;
    model_version: number;
    response: string;
    factors: Record<string, number>;
    prediction: number;
  };
  batch_dates: { business_date: string; current_attempt_id: string; digest: string; published_at: Date };
  schedule_slots: { slot: Date; claimed_at?: Date };
}

export type AttemptRow = Selectable<BatchDb['batch_attempts']>;
export type ResultRow = BatchDb['batch_results'];

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
/** `date` columns come back as Date at local midnight from node-postgres; the service keeps them as text. */
const dateText = sql<string>`to_char(business_date, 'YYYY-MM-DD')`;

const view = (a: AttemptRow, current: string | null): LotBatchView => ({
  attemptId: a.attempt_id,
  businessDate: a.business_date,
  trigger: a.trigger,
  actor: a.actor,
  status: a.status,
  digest: a.digest,
  startedAt: iso(a.started_at)!,
  finishedAt: iso(a.finished_at),
  totalRows: a.total_rows,
  predictedRows: a.predicted_rows,
  skippedRows: a.skipped_rows,
  models: a.models,
  reason: a.reason,
  current: current === a.attempt_id,
});

/** The daily batch's attempts, their results and which attempt each date shows. */
@Injectable()
export class BatchRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<BatchDb>) {}

  from(trx?: Transaction<any>) {
    return (trx ?? this.db).withSchema(LOT_TRACKING_SCHEMA) as Kysely<BatchDb>;
  }

  private attempts(trx?: Transaction<any>) {
    return this.from(trx)
      .selectFrom('batch_attempts')
      .select([
        'attempt_id',
        dateText.as('business_date'),
        'trigger',
        'actor',
        'status',
        'digest',
        'started_at',
        'finished_at',
        'heartbeat_at',
        'total_rows',
        'predicted_rows',
        'skipped_rows',
        'models',
        'reason',
      ]);
  }

  /** Claims a scheduled tick; false when another replica already has. */
  async claimSlot(slot: Date): Promise<boolean> {
    const claimed = await this.from()
      .insertInto('schedule_slots')
      .values({ slot })
      .onConflict((oc) => oc.column('slot').doNothing())
      .returning('slot')
      .execute();
    return claimed.length === 1;
  }

  /** The date's published attempt and digest, locked until the transaction ends when `trx` is given. */
  async published(businessDate: string, trx?: Transaction<any>): Promise<{ attemptId: string; digest: string } | undefined> {
    let q = this.from(trx).selectFrom('batch_dates').select(['current_attempt_id', 'digest']).where('business_date', '=', businessDate);
    if (trx) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row && { attemptId: row.current_attempt_id, digest: row.digest };
  }

  /** Attempts of the date still marked running whose last sign of life is older than `before`. */
  stale(businessDate: string, before: Date, trx: Transaction<any>): Promise<AttemptRow[]> {
    return this.attempts(trx).where('business_date', '=', businessDate).where('status', '=', 'running').where('heartbeat_at', '<', before).execute();
  }

  running(businessDate: string, trx?: Transaction<any>): Promise<AttemptRow | undefined> {
    return this.attempts(trx).where('business_date', '=', businessDate).where('status', '=', 'running').executeTakeFirst();
  }

  /** The newest attempt of the date that ended without publishing (failed or abandoned) with this digest. */
  lastUnfinished(businessDate: string, digest: string, trx: Transaction<any>): Promise<AttemptRow | undefined> {
    return this.attempts(trx)
      .where('business_date', '=', businessDate)
      .where('status', '=', 'failed')
      .where('digest', '=', digest)
      .where('predicted_rows', '>', 0)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insertAttempt(row: Omit<AttemptRow, 'models'> & { models: ModelVersions }, trx: Transaction<any>): Promise<void> {
    await this.from(trx)
      .insertInto('batch_attempts')
      .values({ ...row, models: JSON.stringify(row.models) as never })
      .execute();
  }

  async finish(attemptId: string, status: LotBatchStatus, reason: string | null, trx?: Transaction<any>): Promise<void> {
    const now = new Date();
    await this.from(trx)
      .updateTable('batch_attempts')
      .set({ status, reason, finished_at: now, heartbeat_at: now })
      .where('attempt_id', '=', attemptId)
      .execute();
  }

  async heartbeat(attemptId: string): Promise<void> {
    await this.from()
      .updateTable('batch_attempts')
      .set({ heartbeat_at: new Date() })
      .where('attempt_id', '=', attemptId)
      .where('status', '=', 'running')
      .execute();
  }

  /** Copies an earlier attempt's results (same inputs) into this one; returns the rows it holds now. */
  async carryOver(fromAttempt: string, toAttempt: string, trx: Transaction<any>): Promise<Set<string>> {
    await sql`
      insert into ${sql.id(LOT_TRACKING_SCHEMA, 'batch_results')}
        (attempt_id, row_id, row_version, lot_id, product, process_step, equipment, wafer_count, setup_model_id, registry_model_id, model_version, response, factors, prediction)
      select ${toAttempt}::uuid, row_id, row_version, lot_id, product, process_step, equipment, wafer_count, setup_model_id, registry_model_id, model_version, response, factors, prediction
      from ${sql.id(LOT_TRACKING_SCHEMA, 'batch_results')} where attempt_id = ${fromAttempt}::uuid
      on conflict do nothing`.execute(trx);
    const rows = await this.from(trx).selectFrom('batch_results').select('row_id').where('attempt_id', '=', toAttempt).execute();
    await this.from(trx)
      .updateTable('batch_attempts')
      .set({ predicted_rows: rows.length, heartbeat_at: new Date() })
      .where('attempt_id', '=', toAttempt)
      .execute();
    return new Set(rows.map((r) => r.row_id));
  }

  /** Stores a chunk's results under the attempt and counts them in its progress, in one transaction. */
  async storeChunk(attemptId: string, results: readonly ResultRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // A chunk stored twice (a retried reply) is stored once.
      await this.from(trx)
        .insertInto('batch_results')
        .values(results.map((r) => ({ ...r, factors: JSON.stringify(r.factors) as never })))
        .onConflict((oc) => oc.columns(['attempt_id', 'row_id']).doNothing())
        .execute();
      await sql`
        update ${sql.id(LOT_TRACKING_SCHEMA, 'batch_attempts')}
        set predicted_rows = (select count(*) from ${sql.id(LOT_TRACKING_SCHEMA, 'batch_results')} where attempt_id = ${attemptId}::uuid),
            heartbeat_at = now()
        where attempt_id = ${attemptId}::uuid`.execute(trx);
    });
  }

  async resultCount(attemptId: string, trx?: Transaction<any>): Promise<number> {
    const row = await this.from(trx)
      .selectFrom('batch_results')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('attempt_id', '=', attemptId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Makes the attempt's results the date's, in the caller's transaction: readers see the old set or the new one, never a mix. */
  async publish(businessDate: string, attemptId: string, digest: string, trx: Transaction<any>): Promise<void> {
    const now = new Date();
    await this.from(trx)
      .insertInto('batch_dates')
      .values({ business_date: businessDate, current_attempt_id: attemptId, digest, published_at: now })
      .onConflict((oc) => oc.column('business_date').doUpdateSet({ current_attempt_id: attemptId, digest, published_at: now }))
      .execute();
    await this.from(trx)
      .updateTable('batch_attempts')
      .set({ status: 'succeeded', finished_at: now, heartbeat_at: now })
      .where('attempt_id', '=', attemptId)
      .execute();
  }

  /** Forgets the results of an attempt that will never be published. */
  async dropResults(attemptId: string, trx?: Transaction<any>): Promise<void> {
    await this.from(trx).deleteFrom('batch_results').where('attempt_id', '=', attemptId).execute();
  }

  async view(attemptId: string): Promise<LotBatchView | undefined> {
    const row = await this.attempts().where('attempt_id', '=', attemptId).executeTakeFirst();
    if (!row) return undefined;
    const published = await this.published(row.business_date);
    return view(row, published?.attemptId ?? null);
  }

  /** Attempts newest first; the cursor is `<started_at ms>_<attempt id>`. */
  async list(query: ListLotBatchesV1, limit: number): Promise<ListLotBatchesResult> {
    let q = this.attempts();
    if (query.businessDate) q = q.where('business_date', '=', query.businessDate);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.cursor) {
      const [ms, id] = query.cursor.split('_');
      const at = new Date(Number(ms));
      if (!id || Number.isNaN(at.getTime())) return { items: [], nextCursor: null };
      q = q.where((eb) => eb.or([eb('started_at', '<', at), eb.and([eb('started_at', '=', at), eb('attempt_id', '<', id)])]));
    }
    const rows = await q
      .orderBy('started_at', 'desc')
      .orderBy('attempt_id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const dates = [...new Set(page.map((r) => r.business_date))];
    const current = new Map<string, string>();
    if (dates.length > 0) {
      const published = await this.from()
        .selectFrom('batch_dates')
        .select([dateText.as('business_date'), 'current_attempt_id'])
        .where('business_date', 'in', dates)
        .execute();
      for (const p of published) current.set(p.business_date, p.current_attempt_id);
    }
    const last = page[page.length - 1];
    return {
      items: page.map((r) => view(r, current.get(r.business_date) ?? null)),
      nextCursor: rows.length > limit && last ? `${new Date(last.started_at).getTime()}_${last.attempt_id}` : null,
    };
  }

  /** The date's published results by row id pages; the date's switch is read in the same statement, so a page never mixes attempts. */
  async results(query: GetLotResultsV1, limit: number): Promise<GetLotResultsResult> {
    const published = await this.from()
      .selectFrom('batch_dates')
      .select(['current_attempt_id', 'digest', 'published_at'])
      .where('business_date', '=', query.businessDate)
      .executeTakeFirst();
    const empty = { businessDate: query.businessDate, items: [], nextCursor: null };
    if (!published) return { ...empty, attemptId: null, digest: null, publishedAt: null };
    let q = this.from().selectFrom('batch_results').selectAll().where('attempt_id', '=', published.current_attempt_id);
    if (query.setupModelId) q = q.where('setup_model_id', '=', query.setupModelId);
    if (query.cursor) q = q.where('row_id', '>', query.cursor);
    const rows = await q
      .orderBy('row_id')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    return {
      businessDate: query.businessDate,
      attemptId: published.current_attempt_id,
      digest: published.digest,
      publishedAt: iso(published.published_at),
      items: page.map((r): LotResultView => ({
        rowId: r.row_id,
        rowVersion: r.row_version,
        lotId: r.lot_id,
        product: r.product,
        processStep: r.process_step,
        equipment: r.equipment,
        waferCount: r.wafer_count,
        setupModelId: r.setup_model_id,
        registryModelId: r.registry_model_id,
        modelVersion: r.model_version,
        response: r.response,
        factors: r.factors,
        prediction: r.prediction,
      })),
      nextCursor: rows.length > limit && page.length > 0 ? page[page.length - 1]!.row_id : null,
    };
  }
}
