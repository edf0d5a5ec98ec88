import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { assertIdentifier } from '@vista/db';
import type { EventEnvelope } from '@vista/contracts';
import { type StoredEventRow, fromRow, toEnvelope } from './stored-event.js';

/** Shortest pause between rounds while events flow (ms). */
const MIN_POLL_MS = 5;

/**
 * Publishes a batch in order; resolves once the broker has acknowledged every message, with the
 * lowest and highest stream sequence of the messages it stored anew (duplicates left out).
 */
export type PublishBatch = (
  events: EventEnvelope<Record<string, unknown>>[],
) => Promise<{ firstSequence: number; lastSequence: number; lastEventId?: string } | void>;

/** What the relay asks the stream, to notice that it lost messages the relay had published. */
export interface StreamProbe {
  /** The stream's first and last sequence now. */
  bounds(): Promise<{ firstSequence: number; lastSequence: number }>;
  /** The event stored at `sequence`, or undefined when none is stored there. */
  eventAt(sequence: number): Promise<{ eventId: string; context: string } | undefined>;
  /**
   * Times the connection to the stream's server was re-established. A store can only lose what it
   * acknowledged across a restart, so after each one the relay checks its recent publishes one by one.
   */
  reconnects?(): number;
  /**
   * The newest message below `beforeSequence` whose envelope `matches` (scanning back at most
   * `limit` messages): its sequence and event id, or how far back the scan went and the stored time
   * of the oldest message it read.
   */
  lastHeld(
    beforeSequence: number,
    matches: (envelope: EventEnvelope<unknown>) => boolean,
    limit: number,
  ): Promise<{ sequence: number; eventId: string } | { scannedTo: number; oldestAt?: Date }>;
}

/** A rewind of the relay after the stream lost its tail. */
export interface RelayRewind {
  readonly schema: string;
  /** Stream sequence of the relay's last acknowledged publish before the loss was noticed. */
  readonly fromSequence: number;
  /** The first stream sequence that may hold a message published after the loss. */
  readonly toSequence: number;
  /** Stored events the relay publishes again. */
  readonly republish: number;
}

export interface OutboxRelayOptions {
  /** The service schema whose `events` table is relayed. */
  readonly schema: string;
  readonly publish: PublishBatch;
  /** Checkpoint name; one relay of that name is active at a time (default `relay`). */
  readonly name?: string;
  readonly batchSize?: number;
  /** Longest pause between looks for new events when nothing woke the relay (ms, default 100). */
  readonly pollIntervalMs?: number;
  /** How often a standby replica tries to become the active relay (ms). */
  readonly lockRetryMs?: number;
  /** Called after each published batch, before its checkpoint is saved (tests use it to crash there). */
  readonly afterPublish?: (events: EventEnvelope<Record<string, unknown>>[]) => void | Promise<void>;
  readonly onError?: (error: unknown) => void;
  /**
   * Lets the relay notice that the stream went backwards (a restored or truncated store): a fresh
   * publish acknowledged at or below its last acknowledged sequence; a last sequence below it; or, once
   * other publishers have filled the stream up again, another log's event (or none) at the sequence its
   * own last publish was acknowledged at. It then republishes from the last of its events the stream
   * still holds.
   */
  readonly stream?: StreamProbe;
  /** How often the relay checks the stream against its last acknowledged publish (ms, default 1000). */
  readonly streamCheckMs?: number;
  readonly onRewind?: (rewind: RelayRewind) => void;
  /** How far back a rewind publishes again regardless (ms, default 120,000; keep it within the stream's duplicate window). */
  readonly reofferMs?: number;
}

export interface RelayStatus {
  readonly active: boolean;
  readonly relayed: number;
  readonly lastRelayedAt?: Date;
  readonly lastError?: string;
  /** Times the relay found the stream behind it and republished. */
  readonly rewinds?: number;
}

/** Messages the relay reads back at most when looking for the last of its events the stream holds. */
const REWIND_SCAN_LIMIT = 100_000;
/** How far back a rewind offers events again whatever the stream seems to hold (ms); within the stream's duplicate window. */
const REOFFER_MS = 120_000;
/** Recent publishes (the last event of each batch and its sequence) checked one by one after a reconnect. */
const RECENT_PUBLISHES = 64;

/**
 * Moves committed events from Postgres to the bus, in order, at least once (the broker drops
 * duplicates by message id). Order is (transaction id, position) and only transactions older than
 * every running one are read (`xid < pg_snapshot_xmin`), so an append that took an early position
 * but committed late is never skipped, and a rolled-back one leaves nothing to wait for.
 * One relay per schema is active: a session advisory lock on a dedicated connection; if that
 * connection drops, the lock goes with it and a standby takes over.
 */
export class OutboxRelay {
  private client?: pg.PoolClient;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Set by notify() while a batch is in flight, so the next pause is skipped. */
  private woken = false;
  /** Consecutive rounds that found nothing to relay. */
  private idleRounds = 0;
  private status: { active: boolean; relayed: number; lastRelayedAt?: Date; lastError?: string; rewinds: number } = {
    active: false,
    relayed: 0,
    rewinds: 0,
  };
  /** Stream sequence of the last acknowledged publish (kept in the checkpoint). */
  private streamSeq = 0;
  private lastStreamCheck = 0;
  /** The last event of each recent batch and where the stream stored it, oldest first. */
  private recent: { sequence: number; eventId: string }[] = [];
  /** The probe's reconnect count when the recent publishes were last checked. */
  private checkedReconnects = 0;
  private readonly schema: string;
  private readonly name: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: OutboxRelayOptions,
  ) {
    this.schema = assertIdentifier(options.schema);
    this.name = options.name ?? 'relay';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in flight, releases the lock and returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Wakes the relay now instead of at its next poll (e.g. right after a local append). The append may
   * still be held back by the xmin rule for a few ms, so the backoff starts again from its shortest step
   * rather than from wherever a quiet spell left it (up to the full poll interval).
   */
  notify(): void {
    this.woken = true;
    this.idleRounds = 0;
    this.wake?.();
  }

  getStatus(): RelayStatus {
    return { ...this.status };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        this.woken = false;
        if (!this.client) {
          await this.acquire();
          if (!this.client) {
            // Standby: the database answered, another replica holds the relay.
            this.status.lastError = undefined;
            await this.pause(this.options.lockRetryMs ?? 2_000);
            continue;
          }
        }
        // Checked busy or idle: while events flow, the stream may be filled up again past what it lost.
        await this.checkStream(this.client);
        const relayed = await this.relayBatch(this.client);
        // A round that went through (even with nothing to relay) means the relay is healthy again.
        this.status.lastError = undefined;
        // Polls quickly while events flow (the next ones are often committing right now, held back
        // only by the xmin rule) and backs off to the poll interval when nothing comes.
        this.idleRounds = relayed > 0 ? 0 : this.idleRounds + 1;
        if (relayed < (this.options.batchSize ?? 500)) {
          await this.pause(Math.min(this.options.pollIntervalMs ?? 100, MIN_POLL_MS * 2 ** Math.min(this.idleRounds, 10)));
        }
      } catch (error) {
        this.status.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
        this.release(error);
        await this.pause(1_000);
      }
    }
    this.release();
  }

  private async acquire(): Promise<void> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener, and an 'error' event nobody listens to ends the
    // process: listen from the first moment. A dropped connection loses the lock, so the active
    // relay stops using it at once (two relays never overlap); any other time (still acquiring, or
    // a connection given up earlier reporting its end) only remember it.
    let lost: unknown;
    const onError = (error: unknown) => {
      if (this.client === client) this.release(error);
      else lost ??= error;
    };
    client.on('error', onError);
    try {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [
        `vista-relay:${this.schema}:${this.name}`,
      ]);
      if (lost !== undefined) throw lost;
      if (!rows[0]?.locked) {
        // Back to the pool, which listens for errors on idle clients itself.
        client.removeListener('error', onError);
        client.release();
        return;
      }
      await client.query(
        `insert into ${this.schema}.outbox_checkpoint (relay, transaction_id, global_position) values ($1, '0', 0) on conflict (relay) do nothing`,
        [this.name],
      );
      const checkpoint = await client.query<{ stream_seq: number }>(`select stream_seq from ${this.schema}.outbox_checkpoint where relay = $1`, [this.name]);
      if (lost !== undefined) throw lost;
      this.streamSeq = Number(checkpoint.rows[0]?.stream_seq ?? 0);
      this.client = client;
      this.status.active = true;
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  private release(error?: unknown): void {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.status.active = false;
    // Destroying the connection (rather than unlocking) also ends the session-level lock.
    client.release(error instanceof Error ? error : true);
  }

  private async relayBatch(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<StoredEventRow>(
      `select e.* from ${this.schema}.events e, ${this.schema}.outbox_checkpoint c
       where c.relay = $1
         and (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
         and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       order by e.transaction_id, e.global_position
       limit $2`,
      [this.name, this.options.batchSize ?? 500],
    );
    if (rows.length === 0) return 0;
    const envelopes = rows.map((row) => toEnvelope(fromRow(row), this.schema));
    const published = await this.options.publish(envelopes);
    await this.options.afterPublish?.(envelopes);
    if (published && published.firstSequence > 0 && published.firstSequence <= this.streamSeq && this.options.stream) {
      // Stored anew at a sequence the stream had already given out: it lost its tail.
      await this.rewind(client, published.firstSequence);
      return rows.length;
    }
    const last = rows[rows.length - 1]!;
    const streamSeq = Math.max(this.streamSeq, published ? published.lastSequence : 0);
    await client.query(
      `update ${this.schema}.outbox_checkpoint set transaction_id = $2, global_position = $3, stream_seq = $4, updated_at = now() where relay = $1`,
      [this.name, last.transaction_id, last.global_position, streamSeq],
    );
    this.streamSeq = streamSeq;
    if (published && published.lastSequence > 0 && published.lastEventId) {
      this.recent.push({ sequence: published.lastSequence, eventId: published.lastEventId });
      if (this.recent.length > RECENT_PUBLISHES) this.recent.shift();
    }
    this.status.relayed += rows.length;
    this.status.lastRelayedAt = new Date();
    return rows.length;
  }

  /**
   * About once a second: the stream must still hold one of this log's events at the sequence of the
   * relay's last acknowledged publish. A last sequence below it, or another log's event there (the
   * stream lost its tail and others have published since), means the stream lost what was published.
   * A sequence already below the stream's first one was removed by its limits, not lost.
   */
  private async checkStream(client: pg.PoolClient): Promise<void> {
    const probe = this.options.stream;
    if (!probe || this.streamSeq === 0) return;
    const reconnects = probe.reconnects?.() ?? 0;
    if (reconnects !== this.checkedReconnects) {
      // Publishes acknowledged before the restart and lost with the tail may already be hidden behind
      // newer ones (ours or others'): each recent one must still be where the stream stored it. Counted
      // as checked only once the check went through (the server may not answer yet).
      const { firstSequence } = await probe.bounds();
      for (const published of this.recent) {
        if (published.sequence < firstSequence) continue;
        if ((await probe.eventAt(published.sequence))?.eventId !== published.eventId) {
          await this.rewind(client, published.sequence);
          this.checkedReconnects = reconnects;
          return;
        }
      }
      this.checkedReconnects = reconnects;
      this.lastStreamCheck = Date.now();
    }
    if (Date.now() - this.lastStreamCheck < (this.options.streamCheckMs ?? 1_000)) return;
    this.lastStreamCheck = Date.now();
    const { firstSequence, lastSequence } = await probe.bounds();
    if (lastSequence < this.streamSeq) {
      await this.rewind(client, lastSequence + 1);
      return;
    }
    if (this.streamSeq < firstSequence) return;
    if ((await probe.eventAt(this.streamSeq))?.context !== this.schema) await this.rewind(client, this.streamSeq);
  }

  /**
   * The stream lost messages at or after `firstNew` that the relay had published: find the last of
   * this schema's events it still holds below that, and move the checkpoint back to it, so everything
   * after is published again (in the same order as the first time).
   */
  private async rewind(client: pg.PoolClient, firstNew: number): Promise<void> {
    const probe = this.options.stream!;
    const held = await probe.lastHeld(firstNew, (envelope) => envelope.context === this.schema, REWIND_SCAN_LIMIT);
    let to: { transaction_id: string; global_position: number } | undefined;
    let streamSeq = 0;
    if ('eventId' in held) {
      streamSeq = held.sequence;
      const found = await client.query<{ transaction_id: string; global_position: number }>(
        `select transaction_id, global_position from ${this.schema}.events where event_id = $1`,
        [held.eventId],
      );
      to = found.rows[0];
    } else if (held.oldestAt && held.scannedTo > 1) {
      // None of ours among the messages read back: ours published before the oldest of them are held.
      const found = await client.query<{ transaction_id: string; global_position: number }>(
        `select transaction_id, global_position from ${this.schema}.events where occurred_at < $1 order by transaction_id desc, global_position desc limit 1`,
        [held.oldestAt],
      );
      to = found.rows[0];
    }
    // A damaged store does not always lose a clean tail (a cut block can leave holes, and what was stored
    // after the restart can go again): everything published in the last minutes is offered again too, and
    // the stream drops as duplicates (by event id, within its duplicate window) what it still holds.
    const recent = await client.query<{ transaction_id: string; global_position: number }>(
      `select transaction_id, global_position from ${this.schema}.events
       where occurred_at < now() - make_interval(secs => $1) order by transaction_id desc, global_position desc limit 1`,
      [(this.options.reofferMs ?? REOFFER_MS) / 1000],
    );
    const before = (a: { transaction_id: string; global_position: number }, b: { transaction_id: string; global_position: number }) =>
      BigInt(a.transaction_id) < BigInt(b.transaction_id) ||
      (BigInt(a.transaction_id) === BigInt(b.transaction_id) && Number(a.global_position) < Number(b.global_position));
    const reoffer = recent.rows[0] ?? { transaction_id: '0', global_position: 0 };
    const from = to === undefined || before(reoffer, to) ? reoffer : to;
    const { rows } = await client.query<{ republish: number }>(
      `with c as (
         update ${this.schema}.outbox_checkpoint
         set transaction_id = $2, global_position = $3, rewound_from_seq = stream_seq, stream_seq = $4, rewound_to_seq = $5,
             rewinds = rewinds + 1, rewound_at = now(), updated_at = now()
         where relay = $1 returning rewound_from_seq)
       select (select count(*) from ${this.schema}.events e where (e.transaction_id, e.global_position) > ($2::xid8, $3::bigint))::int as republish from c`,
      [this.name, from.transaction_id, from.global_position, streamSeq, firstNew],
    );
    const rewind: RelayRewind = { schema: this.schema, fromSequence: this.streamSeq, toSequence: firstNew, republish: rows[0]?.republish ?? 0 };
    this.streamSeq = streamSeq;
    this.recent = [];
    this.status.rewinds++;
    this.options.onRewind?.(rewind);
  }

  private pause(ms: number): Promise<void> {
    if (!this.running || this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    const controller = new AbortController();
    this.wake = () => controller.abort();
    return sleep(ms, undefined, { signal: controller.signal })
      .catch(() => undefined)
      .finally(() => (this.wake = undefined));
  }
}
