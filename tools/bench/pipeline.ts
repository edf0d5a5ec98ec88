import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { EventPublisher } from '@vista/bus';
import { createPool, migrateSchema } from '@vista/db';
import { EventStore, OutboxRelay, eventStoreMigrations } from '@vista/event-store';
import { type BenchEnvironment, RunCursor } from './bench-fixtures.js';
import type { BenchSettings } from './bench-settings.js';
import { type Percentiles, now, percentiles } from './measure.js';
import type { MemoryStats } from './process-stats.js';
import { type ProjectorProcess, startProjector } from './projector-process.js';

/** The owning service's schema; events of the `deck` context travel as `<ns>.evt.deck.<kitId>.<Type>`. */
export const PRODUCER_SCHEMA = 'deck';
/** The projector's default read schema (READ_SCHEMA). */
export const READ_SCHEMA = 'read';

/** What the relay did: how many batches, how big, how long each publish took. */
export class RelayStats {
  private readonly sizes: number[] = [];
  private readonly publishMs: number[] = [];
  relayed = 0;
  /** When the relay's publish of the last counted event was acknowledged (performance clock). */
  lastPublishedAt = 0;
  /** When set, the time each event's batch was acknowledged by JetStream, by event id. */
  publishedAt?: Map<string, number>;

  record(eventIds: readonly string[], ms: number): void {
    const at = now();
    this.sizes.push(eventIds.length);
    this.publishMs.push(ms);
    this.relayed += eventIds.length;
    this.lastPublishedAt = at;
    if (this.publishedAt) for (const id of eventIds) this.publishedAt.set(id, at);
  }

  /** Statistics since the last reset. */
  summary(): { batches: number; meanBatch: number; batchSizes: Percentiles; publishMs: Percentiles; publishMsTotal: number } {
    return {
      batches: this.sizes.length,
      meanBatch: this.sizes.length ? this.sizes.reduce((a, b) => a + b, 0) / this.sizes.length : 0,
      batchSizes: percentiles(this.sizes),
      publishMs: percentiles(this.publishMs),
      publishMsTotal: this.publishMs.reduce((a, b) => a + b, 0),
    };
  }

  reset(): void {
    this.sizes.length = 0;
    this.publishMs.length = 0;
  }
}

/**
 * The producing side as a service runs it (an EventStore on a pool, its OutboxRelay on a pool of
 * its own publishing through EventPublisher, woken after each append), plus the projector process
 * and a connection that watches the read model.
 */
export interface Pipeline {
  readonly store: EventStore;
  readonly relay: OutboxRelay;
  readonly relayStats: RelayStats;
  readonly projector: ProjectorProcess;
  /** The projector's memory once it was ready, before any event. */
  readonly projectorReadyMemory: MemoryStats | undefined;
  /** A connection of its own for polling the read model. */
  readonly watcher: pg.Client;
  /** Events folded so far (`read.projector_status.applied_events`). */
  appliedEvents(): Promise<number>;
  close(): Promise<void>;
}

export async function startPipeline(env: BenchEnvironment, settings: BenchSettings): Promise<Pipeline> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error) => console.error(`closing the pipeline: ${(error as Error).message}`));
  };
  try {
    // As services wire it: one pool under kysely and the store's prepared appends.
    const pool = createPool({ url: env.database.url, poolMax: settings.concurrency, applicationName: 'bench-producer' });
    const db: Kysely<any> = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    closers.push(() => db.destroy());
    await migrateSchema(db, PRODUCER_SCHEMA, eventStoreMigrations(PRODUCER_SCHEMA));
    const store = new EventStore(db, PRODUCER_SCHEMA, pool);

    const relayPool = createPool({ url: env.database.url, poolMax: 2, applicationName: 'bench-relay' });
    closers.push(() => relayPool.end());
    const publisher = new EventPublisher(env.js, env.names);
    const relayStats = new RelayStats();
    let relayError: string | undefined;
    // The relay's settings are the service defaults (EventStoreModule): batches of 500, 50 ms polls.
    const relay = new OutboxRelay(relayPool, {
      schema: PRODUCER_SCHEMA,
      publish: async (events) => {
        const t0 = now();
        await publisher.publishBatch(events);
        relayStats.record(
          events.map((e) => e.eventId),
          now() - t0,
        );
      },
      onError: (error) => {
        const message = (error as Error)?.message ?? String(error);
        if (message !== relayError) console.error(`  ! relay: ${message}`);
        relayError = message;
      },
    });
    const unsubscribe = store.onAppended(() => relay.notify());
    relay.start();
    closers.push(async () => {
      unsubscribe();
      await relay.stop();
    });

    const projector = await startProjector({
      databaseUrl: env.database.url,
      natsUrl: env.natsUrl,
      namespace: env.names.namespace,
      batchSize: settings.projectorBatchSize,
      profileDir: settings.projectorProfileDir,
    });
    closers.push(() => projector.stop());
    const projectorReadyMemory = projector.memory();

    const watcher = new pg.Client({ connectionString: env.database.url, application_name: 'bench-watcher' });
    await watcher.connect();
    closers.push(() => watcher.end());

    return {
      store,
      relay,
      relayStats,
      projector,
      projectorReadyMemory,
      watcher,
      async appliedEvents() {
        const { rows } = await watcher.query<{ n: string }>(`select applied_events as n from ${READ_SCHEMA}.projector_status where projector = 'projector'`);
        return Number(rows[0]?.n ?? 0);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls until `probe` holds, at most `timeoutMs`; returns whether it did. */
export async function pollUntil(probe: () => Promise<boolean>, timeoutMs: number, intervalMs: number): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if (await probe()) return true;
    await sleep(intervalMs);
  }
  return probe();
}

/** One run cursor per appender. */
export const newCursors = (count: number): RunCursor[] => Array.from({ length: count }, () => new RunCursor());
