import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { createPool, migrateSchema } from '@vista/db';
import { EventStore, eventStoreMigrations } from '@vista/event-store';
import { type BenchEnvironment, benchMetadata, deckCollectionStarted } from './bench-fixtures.js';
import { type Percentiles, type Rate, progressLine, runClosedLoop } from './measure.js';
import { type StatementCost, probeStatementCosts } from './statement-cost.probe.js';

export type AppendRate = Rate & { readonly latencies: Percentiles };

export interface AppendRates {
  /** Per-append CPU of the Postgres backend and of this process, one connection, sequential. */
  readonly statementCosts: StatementCost[];
  readonly vistaSequential: AppendRate;
  readonly vistaConcurrent: AppendRate;
  readonly emmettSequential: AppendRate;
  readonly emmettConcurrent: AppendRate;
}

export interface AppendRateOptions {
  readonly durationMs: number;
  readonly concurrency: number;
}

/** A schema of its own, so the end-to-end phase's relay never sees these events. */
const APPEND_SCHEMA = 'append_bench';

/**
 * One event per append, each writer on its own stream passing the expected version it tracks
 * (the optimistic-concurrency path a command handler takes): sequential, then `concurrency` writers.
 * The same workload through Emmett's PostgreSQL event store, on a pool of the same size.
 */
export async function measureAppendRates(env: BenchEnvironment, options: AppendRateOptions): Promise<AppendRates> {
  // As services wire it: one pool under kysely and the store's prepared appends.
  const vistaPool = createPool({ url: env.database.url, poolMax: options.concurrency, applicationName: 'bench-append' });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: vistaPool }) });
  let vistaSequential: AppendRate;
  let vistaConcurrent: AppendRate;
  try {
    await migrateSchema(db, APPEND_SCHEMA, eventStoreMigrations(APPEND_SCHEMA));
    const store = new EventStore(db, APPEND_SCHEMA, vistaPool);
    const vista = (concurrency: number) =>
      runClosedLoop({
        label: `(b) Vista EventStore.append, ${concurrency} writer${concurrency > 1 ? 's (group commit)' : ''}`,
        workers: writers(concurrency, 'vista'),
        durationMs: options.durationMs,
        warmupOps: 20,
        op: async (w, index) => {
          const result = await store.append({ streamId: w.streamId, expectedVersion: w.version, events: [deckCollectionStarted(index)] }, benchMetadata());
          w.version = result.nextExpectedVersion;
          return 1;
        },
      });
    await checkpoint(db);
    vistaSequential = await vista(1);
    await checkpoint(db);
    vistaConcurrent = await vista(options.concurrency);
  } finally {
    await db.destroy();
  }

  const pool = createPool({ url: env.database.url, poolMax: options.concurrency, applicationName: 'bench-emmett' });
  const emmett = getPostgreSQLEventStore(env.database.url, { connectionOptions: { pool } });
  try {
    // Emmett creates its schema on first use: do it before timing.
    await emmett.schema.migrate();
    const run = (concurrency: number) =>
      runClosedLoop({
        label: `(b) Emmett appendToStream, ${concurrency} writer${concurrency > 1 ? 's' : ''}`,
        workers: writers(concurrency, 'emmett'),
        durationMs: options.durationMs,
        warmupOps: 20,
        op: async (w, index) => {
          const event = deckCollectionStarted(index);
          const result = await emmett.appendToStream(w.streamId, [{ type: event.type, data: { ...event.data }, metadata: { ...benchMetadata() } }], {
            expectedStreamVersion: BigInt(w.version),
          });
          w.version = Number(result.nextExpectedStreamVersion);
          return 1;
        },
      });
    await checkpointPool(pool);
    const emmettSequential = await run(1);
    await checkpointPool(pool);
    const emmettConcurrent = await run(options.concurrency);
    progressLine('(b) per-append CPU on one connection: EventStore.append and plain INSERTs, 3 rounds of 1,000 each');
    const statementCosts = await probeStatementCosts(env, 1_000, 3);
    return { vistaSequential, vistaConcurrent, emmettSequential, emmettConcurrent, statementCosts };
  } finally {
    await emmett.close();
    await pool.end().catch(() => undefined);
  }
}

const writers = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({ streamId: `${prefix}-${count}-${i}-${randomUUID()}`, version: 0 }));

// Flush dirty pages first, so one measurement does not pay for the previous one's checkpoint.
const checkpoint = async (db: Kysely<any>) => {
  await sql`checkpoint`.execute(db);
};
const checkpointPool = async (pool: pg.Pool) => {
  await pool.query('checkpoint');
};
