import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { ModelLatencyV1 } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { METRICS_SCHEMA } from '../config/metrics.config.js';

interface Quantiles {
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

/** The latency tables of the metrics schema. */
export interface LatencyDb {
  collections: {
    collection_id: string;
    trigger: 'schedule' | 'manual';
    status: 'succeeded' | 'failed';
    prometheus_url: string;
    metric_name: string;
    window: string;
    at: Date;
    reason: string | null;
    model_count: number;
  };
  schedule_slots: { slot: Date; claimed_at?: Date };
  snapshots: Quantiles & { collection_id: string; model_id: string; model_name: string; collected_at: Date };
  latest: Quantiles & { model_id: string; model_name: string; collected_at: Date; metric_name: string; window: string; collection_id: string };
}

export type CollectionRow = LatencyDb['collections'];
export type LatestRow = LatencyDb['latest'];
export type SnapshotRow = LatencyDb['snapshots'];

const quantilesOf = (m: ModelLatencyV1): Quantiles => ({ p50_ms: m.p50Ms, p95_ms: m.p95Ms, p99_ms: m.p99Ms });

/** Collections, per-model snapshots and the latest good values, in the metrics schema. */
@Injectable()
export class LatencyMetricsRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<LatencyDb>) {}

  private from(trx?: Transaction<any>) {
    return (trx ?? this.db).withSchema(METRICS_SCHEMA) as Kysely<LatencyDb>;
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

  /** Records a successful collection: its row, one snapshot per model, and the latest values (never replaced by older data). */
  async recordSucceeded(trx: Transaction<any>, row: Omit<CollectionRow, 'status' | 'reason' | 'model_count'>, models: ModelLatencyV1[]): Promise<void> {
    const db = this.from(trx);
    await db
      .insertInto('collections')
      .values({ ...row, status: 'succeeded', reason: null, model_count: models.length })
      .execute();
    if (models.length === 0) return;
    await db
      .insertInto('snapshots')
      .values(models.map((m) => ({ collection_id: row.collection_id, model_id: m.modelId, model_name: m.modelName, collected_at: row.at, ...quantilesOf(m) })))
      .execute();
    for (const m of models) {
      const latest: LatestRow = {
        model_id: m.modelId,
        model_name: m.modelName,
        collected_at: row.at,
        metric_name: row.metric_name,
        window: row.window,
        collection_id: row.collection_id,
        ...quantilesOf(m),
      };
      await db
        .insertInto('latest')
        .values(latest)
        .onConflict((oc) => oc.column('model_id').doUpdateSet(latest).where('latest.collected_at', '<=', row.at))
        .execute();
    }
  }

  /** Records a failed collection with its reason; the latest values stay as they are. */
  async recordFailed(trx: Transaction<any>, row: Omit<CollectionRow, 'status' | 'model_count'>): Promise<void> {
    await this.from(trx)
      .insertInto('collections')
      .values({ ...row, status: 'failed', model_count: 0 })
      .execute();
  }

  /** Forgets snapshots, collections and claimed ticks older than `before` (the latest values stay). */
  async prune(before: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const db = this.from(trx);
      await db.deleteFrom('snapshots').where('collected_at', '<', before).execute();
      await db
        .deleteFrom('collections')
        .where('at', '<', before)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('snapshots').select('snapshots.model_id').whereRef('snapshots.collection_id', '=', 'collections.collection_id'))),
        )
        .execute();
      await db.deleteFrom('schedule_slots').where('slot', '<', before).execute();
    });
  }

  latest(): Promise<LatestRow[]> {
    return this.from().selectFrom('latest').selectAll().orderBy('model_name').orderBy('model_id').execute();
  }

  lastCollection(status?: CollectionRow['status']): Promise<CollectionRow | undefined> {
    let query = this.from().selectFrom('collections').selectAll();
    if (status) query = query.where('status', '=', status);
    return query.orderBy('at', 'desc').limit(1).executeTakeFirst();
  }

  /** The latest failed collections, newest first. */
  recentFailures(limit: number): Promise<CollectionRow[]> {
    return this.from().selectFrom('collections').selectAll().where('status', '=', 'failed').orderBy('at', 'desc').limit(limit).execute();
  }

  /** Whether any collection ever saw a model of this name. */
  async knowsModelName(modelName: string): Promise<boolean> {
    const row = await this.from().selectFrom('latest').select('model_id').where('model_name', '=', modelName).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** Snapshots collected since `start`, oldest first (optionally of one model name). */
  history(start: Date, modelName?: string): Promise<SnapshotRow[]> {
    let query = this.from().selectFrom('snapshots').selectAll().where('collected_at', '>=', start);
    if (modelName !== undefined) query = query.where('model_name', '=', modelName);
    return query.orderBy('model_name').orderBy('model_id').orderBy('collected_at').execute();
  }
}
