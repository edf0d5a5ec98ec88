import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { assertIdentifier } from '@vista/db';
import type { EventEnvelope } from '@vista/contracts';
import { type StoredEventRow, fromRow, toEnvelope } from './stored-event.js';

/** Shortest pause between rounds while events flow (ms). */
const MIN_POLL_MS = 5;

/** Publishes a batch in order; resolves once the broker has acknowledged every message. */
export type PublishBatch = (events: EventEnvelope<Record<string, unknown>>[]) => Promise<void>;

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
}

export interface RelayStatus {
  readonly active: boolean;
  readonly relayed: number;
  readonly lastRelayedAt?: Date;
  readonly lastError?: string;
}

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
  private status: { active: boolean; relayed: number; lastRelayedAt?: Date; lastError?: string } = { active: false, relayed: 0 };
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
      if (lost !== undefined) throw lost;
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
    await this.options.publish(envelopes);
    await this.options.afterPublish?.(envelopes);
    const last = rows[rows.length - 1]!;
    await client.query(`update ${this.schema}.outbox_checkpoint set transaction_id = $2, global_position = $3, updated_at = now() where relay = $1`, [
      this.name,
      last.transaction_id,
      last.global_position,
    ]);
    this.status.relayed += rows.length;
    this.status.lastRelayedAt = new Date();
    return rows.length;
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
