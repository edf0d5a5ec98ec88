import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConsumerConfig, JetStreamManager } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';
import { type Kysely, sql } from 'kysely';
import { BUS_NAMES, JETSTREAM_MANAGER } from '@vista/bus';
import type { BusNames, DeliveredEvent } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import type { HealthCheck } from '@vista/telemetry';
import { metrics } from '@vista/telemetry';
import { PROJECTOR_CONFIG, type ProjectorConfig } from '../config/projector.config.js';
import { FoldLock } from '../handlers/fold.lock.js';
import { PROJECTOR_DURABLE } from '../handlers/projector.consumer.js';
import { ReadModelRepository } from '../repositories/read-model.repository.js';
import { deliveredFromLog, type LogEventRow, sourceLogSchemas } from './source-logs.js';

/** Events of one log read per round at most. */
const PAGE = 2_000;

export const reconcilerMetrics = {
  missing: metrics.counter({
    name: 'vista_reconciler_missing_events_total',
    help: 'Events of a service log found not folded into the read model after the grace period',
    labelNames: ['log'] as const,
  }),
  refilled: metrics.counter({
    name: 'vista_reconciler_refilled_events_total',
    help: 'Missing events folded straight from their service log',
    labelNames: ['log'] as const,
  }),
  rewinds: metrics.counter({
    name: 'vista_reconciler_stream_rewinds_total',
    help: 'Times the events stream was found behind a relay or a consumer (it lost an acknowledged tail)',
    labelNames: ['source'] as const,
  }),
  consumersReset: metrics.counter({ name: 'vista_reconciler_consumers_reset_total', help: 'Durable consumers moved back to where the stream resumes' }),
  diverged: metrics.gauge({ name: 'vista_reconciler_diverged', help: '1 while the read model or the stream is known to differ from the logs' }),
};

interface Divergence {
  readonly since: Date;
  reason: string;
  /** Position every event at or below which must be folded before the divergence ends. */
  readonly until?: { readonly schema: string; readonly position: number };
}

/**
 * Compares, every RECONCILE_INTERVAL_MS, each service's Postgres log with what the read model
 * folded, reading only what lies after a per-log watermark; events still missing after
 * RECONCILE_GRACE_MS, while the projector's consumer has nothing left in flight, are folded straight
 * from the log (an event not folded while messages still wait for the projector is lag, not loss: a
 * busy projector is behind, not wrong). It also notices a stream that went
 * backwards (a consumer's ack floor above the stream's last sequence, or a relay that had to
 * republish) and moves such consumers back to where the stream resumes. While anything differs,
 * readiness is not ready and names it.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private schemas: string[] = [];
  private schemasAt = 0;
  /** Event id → when it was first seen missing. */
  private readonly missingSince = new Map<string, number>();
  private readonly divergences = new Map<string, Divergence>();
  /** Last relay rewind seen per log. */
  private readonly rewindsSeen = new Map<string, number>();
  private lastRoundAt?: Date;
  private lastError?: string;
  readonly totals = { missing: 0, refilled: 0, rewinds: 0, consumersReset: 0 };

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    private readonly repository: ReadModelRepository,
    private readonly lock: FoldLock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.round().finally(() => (this.running = undefined));
    }, this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One comparison of every log and of the stream; never throws. */
  async round(): Promise<void> {
    try {
      if (Date.now() - this.schemasAt > 30_000 || this.schemas.length === 0) {
        this.schemas = await sourceLogSchemas(this.db);
        this.schemasAt = Date.now();
      }
      await this.checkStream();
      const inFlight = await this.projectorInFlight();
      for (const schema of this.schemas) await this.reconcileLog(schema, inFlight);
      this.lastRoundAt = new Date();
      this.lastError = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastError) this.logger.warn(`reconciling failed; retrying: ${message}`);
      this.lastError = message;
    }
    reconcilerMetrics.diverged.set(this.divergences.size > 0 ? 1 : 0);
  }

  healthCheck(): HealthCheck {
    return {
      name: 'reconciler',
      check: async () => {
        const detail: Record<string, unknown> = {
          lastRoundAt: this.lastRoundAt?.toISOString() ?? null,
          ...this.totals,
        };
        if (this.divergences.size === 0) return { ok: true, detail };
        const reasons = [...this.divergences.values()].map((d) => `${d.reason} (since ${d.since.toISOString()})`);
        return { ok: false, detail: { ...detail, reason: `diverged: ${reasons.join('; ')}` } };
      },
    };
  }

  /** Whether the read model and the stream are known to differ from the logs right now. */
  get diverged(): string[] {
    return [...this.divergences.values()].map((d) => d.reason);
  }

  private diverge(key: string, reason: string, until?: Divergence['until']): void {
    const known = this.divergences.get(key);
    if (known) {
      known.reason = reason;
      return;
    }
    this.divergences.set(key, { since: new Date(), reason, until });
    this.logger.error(`read model diverged from the logs: ${reason}`);
  }

  private heal(key: string): void {
    const known = this.divergences.get(key);
    if (!known) return;
    this.divergences.delete(key);
    this.logger.log(`healed after ${Date.now() - known.since.getTime()} ms: ${known.reason}`);
  }

  /**
   * A stream that went backwards: a durable consumer whose ack floor (or delivered pointer) is above
   * the stream's last sequence would skip every new message up to it. Such a consumer is created
   * again, starting right after the last message the stream still holds below its floor.
   */
  private async checkStream(): Promise<void> {
    const stream = this.names.eventsStream;
    // Consumers first, the stream's last sequence after: it only grows while the stream is whole, so a
    // pointer above it is a real loss; read the other way round, a message stored in between looked like one.
    const consumers = [];
    for await (const consumer of this.jsm.consumers.list(stream)) consumers.push(consumer);
    const last = (await this.jsm.streams.info(stream)).state.last_seq;
    const ahead = consumers.filter((consumer) => consumer.ack_floor.stream_seq > last || consumer.delivered.stream_seq > last);
    if (ahead.length === 0) {
      this.heal('stream');
      return;
    }
    const names = ahead.map((c) => `${c.name} (ack floor ${c.ack_floor.stream_seq})`).join(', ');
    this.diverge('stream', `stream ${stream} went backwards to sequence ${last} below consumers ${names}`);
    this.totals.rewinds++;
    reconcilerMetrics.rewinds.inc({ source: 'consumer' });
    for (const consumer of ahead) {
      const start = Math.min(consumer.ack_floor.stream_seq, last) + 1;
      const {
        name: _name,
        durable_name,
        deliver_policy: _p,
        opt_start_seq: _s,
        opt_start_time: _t,
        ...rest
      } = consumer.config as ConsumerConfig & {
        opt_start_time?: string;
      };
      await this.jsm.consumers.delete(stream, consumer.name);
      await this.jsm.consumers.add(stream, {
        ...rest,
        durable_name: durable_name ?? consumer.name,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: start,
      });
      this.totals.consumersReset++;
      reconcilerMetrics.consumersReset.inc();
      this.logger.error(`consumer ${consumer.name} was past the end of ${stream}: created again from sequence ${start}`);
    }
  }

  /** Messages the stream holds that the projector has not acknowledged yet (delivered or not); 0 without its consumer. */
  private async projectorInFlight(): Promise<number> {
    try {
      const info = await this.jsm.consumers.info(this.names.eventsStream, PROJECTOR_DURABLE);
      return info.num_pending + info.num_ack_pending;
    } catch {
      return 0;
    }
  }

  /** Compares one log with the read model from its watermark on, and refills what is missing past the grace period. */
  private async reconcileLog(schema: string, inFlight: number): Promise<void> {
    const read = sql.id(this.repository.schema);
    const log = sql.id(schema);
    const mark = await sql<{ transaction_id: string; global_position: number }>`
      select transaction_id::text, global_position from ${read}.reconcile_watermarks where log_schema = ${schema}`.execute(this.db);
    const from = mark.rows[0] ?? { transaction_id: '0', global_position: 0 };

    await this.noticeRewind(schema);

    // Only transactions older than every running one, like the relay: nothing is skipped that commits later.
    const { rows } = await sql<{ transaction_id: string; global_position: number; event_id: string; folded: boolean }>`
      select e.transaction_id::text, e.global_position, e.event_id,
             (exists (select 1 from ${read}.state_history h where h.event_id = e.event_id)
              or exists (select 1 from ${read}.folded_events f where f.event_id = e.event_id)) as folded
      from ${log}.events e
      where (e.transaction_id, e.global_position) > (${from.transaction_id}::xid8, ${from.global_position}::bigint)
        and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      order by e.transaction_id, e.global_position
      limit ${PAGE}`.execute(this.db);

    const now = Date.now();
    const grace = this.config.RECONCILE_GRACE_MS;
    let watermark = from;
    let blocked = false;
    const overdue: string[] = [];
    for (const row of rows) {
      if (row.folded) {
        this.missingSince.delete(row.event_id);
      } else {
        const since = this.missingSince.get(row.event_id) ?? now;
        this.missingSince.set(row.event_id, since);
        if (now - since < grace || inFlight > 0) blocked = true;
        else overdue.push(row.event_id);
      }
      if (!blocked) watermark = row;
    }

    if (overdue.length > 0) {
      const reason = `${overdue.length} events of ${schema}.events not folded after ${grace} ms`;
      this.diverge(`missing:${schema}`, reason);
      this.totals.missing += overdue.length;
      reconcilerMetrics.missing.inc({ log: schema }, overdue.length);
      await this.refill(schema, overdue);
    } else {
      this.heal(`missing:${schema}`);
    }

    const until = this.divergences.get(`rewind:${schema}`)?.until;
    if (until && !rows.some((r) => !r.folded && r.global_position <= until.position) && (rows.length < PAGE || watermark.global_position >= until.position)) {
      this.heal(`rewind:${schema}`);
    }

    if (watermark !== from) {
      await sql`
        insert into ${read}.reconcile_watermarks (log_schema, transaction_id, global_position)
        values (${schema}, ${watermark.transaction_id}::xid8, ${watermark.global_position})
        on conflict (log_schema) do update set transaction_id = excluded.transaction_id, global_position = excluded.global_position, updated_at = now()`.execute(
        this.db,
      );
    }
  }

  /** A relay found the stream behind it and republishes: diverged until what it republishes is folded. */
  private async noticeRewind(schema: string): Promise<void> {
    const log = sql.id(schema);
    const { rows } = await sql<{ rewinds: number; rewound_from_seq: number | null; rewound_to_seq: number | null; head: number | null }>`
      select c.rewinds, c.rewound_from_seq, c.rewound_to_seq, (select max(global_position) from ${log}.events) as head
      from ${log}.outbox_checkpoint c order by c.rewinds desc limit 1`.execute(this.db);
    const row = rows[0];
    if (!row) return;
    const seen = this.rewindsSeen.get(schema);
    this.rewindsSeen.set(schema, row.rewinds);
    // The first look after a start only learns the count.
    if (seen === undefined || row.rewinds <= seen) return;
    this.totals.rewinds++;
    reconcilerMetrics.rewinds.inc({ source: 'relay' });
    this.diverge(
      `rewind:${schema}`,
      `stream ${this.names.eventsStream} lost events of ${schema} (relay had reached sequence ${row.rewound_from_seq}, stream resumed at ${row.rewound_to_seq}); republishing from the log`,
      { schema, position: Number(row.head ?? 0) },
    );
  }

  /** Folds the missing events straight from the log (idempotent: events folded meanwhile change nothing). */
  private async refill(schema: string, eventIds: string[]): Promise<void> {
    const { rows } = await sql<LogEventRow>`
      select * from ${sql.id(schema)}.events where event_id = any(${eventIds}::uuid[]) order by global_position`.execute(this.db);
    const events: DeliveredEvent<object>[] = [];
    for (const row of rows) {
      const { event, reason } = deliveredFromLog(schema, row);
      if (event) events.push(event);
      else this.logger.error(`event ${row.event_id} of ${schema}.events cannot be folded: ${reason}`);
    }
    if (events.length === 0) return;
    const applied = await this.lock.run(() => this.repository.apply(events, { fenced: true }));
    for (const id of eventIds) this.missingSince.delete(id);
    this.totals.refilled += events.length;
    reconcilerMetrics.refilled.inc({ log: schema }, events.length);
    this.logger.error(`refilled ${events.length} events of ${schema}.events straight from the log (${applied.fresh} were new to the read model)`);
  }
}
