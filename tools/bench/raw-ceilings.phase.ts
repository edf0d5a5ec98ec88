import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createDatabase, createPool, migrateSchema } from '@vista/db';
import { eventStoreMigrations } from '@vista/event-store';
import { type BenchEnvironment, KIT_COUNT, deckCollectionStartedRow } from './bench-fixtures.js';
import { type Rate, runClosedLoop } from './measure.js';

export interface RawCeilings {
  readonly jetStream: Rate;
  /** The same publish with `Nats-Msg-Id` (dedup) and the event-type header, as the relay sends. */
  readonly jetStreamWithMsgId: Rate;
  readonly pgMultiRow: Rate;
  readonly pgRowPerTxSequential: Rate;
  readonly pgRowPerTx16: Rate;
  /** The same with a named (server-side prepared) statement: what parsing and planning each INSERT costs. */
  readonly pgRowPerTx16Prepared: Rate;
  readonly settings: { publishWindow: number; payloadBytes: number; multiRowBatch: number };
}

export interface RawCeilingOptions {
  readonly durationMs: number;
  readonly publishWindow: number;
  readonly multiRowBatch: number;
  readonly concurrency: number;
}

/** The table the raw inserts write: the event store's own DDL (columns, keys, indexes) in a schema of its own. */
const RAW_SCHEMA = 'raw';
const COLUMNS = 'stream_id, stream_version, event_id, type, schema_version, data, metadata';

export async function measureRawCeilings(env: BenchEnvironment, options: RawCeilingOptions): Promise<RawCeilings> {
  const jetStream = await publishCeiling(env, options, false);
  const jetStreamWithMsgId = await publishCeiling(env, options, true);

  const db = createDatabase<any>({ url: env.database.url, poolMax: 1, applicationName: 'bench-raw-migrate' });
  await migrateSchema(db, RAW_SCHEMA, eventStoreMigrations(RAW_SCHEMA));
  await db.destroy();
  const pool = createPool({ url: env.database.url, poolMax: options.concurrency, applicationName: 'bench-raw' });
  try {
    const pgMultiRow = await multiRowCeiling(pool, options);
    const pgRowPerTxSequential = await rowPerTxCeiling(pool, options, 1);
    const pgRowPerTx16 = await rowPerTxCeiling(pool, options, options.concurrency);
    const pgRowPerTx16Prepared = await rowPerTxCeiling(pool, options, options.concurrency, true);
    return {
      jetStream,
      jetStreamWithMsgId,
      pgMultiRow,
      pgRowPerTxSequential,
      pgRowPerTx16,
      pgRowPerTx16Prepared,
      settings: { publishWindow: options.publishWindow, payloadBytes: PAYLOAD.byteLength, multiRowBatch: options.multiRowBatch },
    };
  } finally {
    await pool.end();
  }
}

/** A 200-byte JSON body. */
const PAYLOAD = new TextEncoder().encode(JSON.stringify({ kitId: 1, runId: randomUUID(), jobId: randomUUID(), attempt: 1, pad: '' }).padEnd(200, ' '));

/**
 * Async publishes pipelined through a sliding window: `window` publishes are always awaiting
 * their acknowledgement, on one connection (as the relay's publisher has).
 */
async function publishCeiling(env: BenchEnvironment, options: RawCeilingOptions, withMsgId: boolean): Promise<Rate> {
  const subjects = Array.from({ length: KIT_COUNT }, (_, kit) => env.rawNames.eventSubject('deck', kit + 1, 'DeckCollectionStarted'));
  const label = withMsgId ? '(a) JetStream publish + Nats-Msg-Id' : '(a) JetStream publish';
  const before = (await env.jsm.streams.info(env.rawNames.eventsStream)).state.messages;
  const result = await runClosedLoop({
    label,
    workers: Array.from({ length: options.publishWindow }, (_, i) => i),
    durationMs: options.durationMs,
    warmupOps: 2,
    op: async (_worker, index) => {
      const subject = subjects[index % subjects.length]!;
      await env.js.publish(subject, PAYLOAD, withMsgId ? { msgID: randomUUID() } : undefined);
      return 1;
    },
  });
  const after = (await env.jsm.streams.info(env.rawNames.eventsStream)).state.messages;
  // Every acknowledged publish must be stored; a shortfall would make the figure meaningless.
  const warmups = 2 * options.publishWindow;
  if (after - before !== result.items + warmups) {
    throw new Error(`${label}: ${result.items + warmups} acknowledged but the stream grew by ${after - before}`);
  }
  return result;
}

/** One client inserting batches of rows, one multi-row INSERT (one transaction) per batch. */
async function multiRowCeiling(pool: pg.Pool, options: RawCeilingOptions): Promise<Rate> {
  const client = await pool.connect();
  await client.query('checkpoint');
  const batch = options.multiRowBatch;
  const placeholders = Array.from({ length: batch }, (_, r) => {
    const p = r * 7;
    return `($${p + 1}, $${p + 2}::int, $${p + 3}::uuid, $${p + 4}, $${p + 5}::int, $${p + 6}::jsonb, $${p + 7}::jsonb)`;
  }).join(', ');
  const text = `insert into ${RAW_SCHEMA}.events (${COLUMNS}) values ${placeholders}`;
  let sequence = 0;
  try {
    return await runClosedLoop({
      label: `(a) Postgres multi-row INSERT (${batch}/statement)`,
      workers: [client],
      durationMs: options.durationMs,
      warmupOps: 1,
      op: async (c) => {
        const values: unknown[] = [];
        for (let r = 0; r < batch; r++) {
          const row = deckCollectionStartedRow(sequence);
          values.push(`raw-multi-${sequence++}`, 1, row.eventId, row.type, row.schemaVersion, row.data, row.metadata);
        }
        await c.query(text, values);
        return batch;
      },
    });
  } finally {
    client.release();
  }
}

/**
 * One INSERT per transaction (autocommit), each client on its own stream with the version it
 * tracks: the floor cost of an append (a commit, and its WAL flush, per row).
 */
async function rowPerTxCeiling(pool: pg.Pool, options: RawCeilingOptions, concurrency: number, prepared = false): Promise<Rate> {
  const clients = await Promise.all(Array.from({ length: concurrency }, () => pool.connect()));
  await clients[0]!.query('checkpoint');
  const workers = clients.map((client, i) => ({ client, streamId: `raw-tx${concurrency}-${i}-${randomUUID()}`, version: 0 }));
  const text = `insert into ${RAW_SCHEMA}.events (${COLUMNS}) values ($1, $2::int, $3::uuid, $4, $5::int, $6::jsonb, $7::jsonb)`;
  try {
    return await runClosedLoop({
      label: `(a) Postgres 1 row/tx, ${concurrency} client${concurrency > 1 ? 's' : ''}${prepared ? ', prepared' : ''}`,
      workers,
      durationMs: options.durationMs,
      warmupOps: 5,
      op: async (w, index) => {
        const row = deckCollectionStartedRow(index);
        const values = [w.streamId, ++w.version, row.eventId, row.type, row.schemaVersion, row.data, row.metadata];
        await (prepared ? w.client.query({ name: 'bench-raw-insert', text, values }) : w.client.query(text, values));
        return 1;
      },
    });
  } finally {
    for (const client of clients) client.release();
  }
}
