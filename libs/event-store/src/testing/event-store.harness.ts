import { execFile } from 'node:child_process';
import { rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { EventPublisher } from '@vista/bus';
import type { EventEnvelope } from '@vista/contracts';
import { createPool, migrateSchema } from '@vista/db';
import { type TestBus, type TestDatabase, createTestBus, createTestDatabase, testServers, uniqueId, waitFor } from '@vista/testing';
import { EventStore } from '../event-store.js';
import { eventStoreMigrations } from '../event-store.migrations.js';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox-relay.js';

/** One test's own database (migrated event store in `schema`) and, when asked, its own bus namespace. */
export interface EventStoreHarness {
  readonly schema: string;
  readonly database: TestDatabase;
  readonly db: Kysely<any>;
  readonly store: EventStore;
  /** Present when the harness was created with `bus: true`. */
  readonly bus?: TestBus;
  /** A relay on a pool of its own (as another process would have), stopped by cleanup(). */
  startRelay(options?: Partial<OutboxRelayOptions>): OutboxRelay;
  /** Stops every relay, closes pools and drops the database and streams. */
  cleanup(): Promise<void>;
}

/** The context of every envelope the relay publishes: the schema name (a bounded context). */
export const TEST_SCHEMA = 'doe';

export async function createEventStoreHarness(label: string, options: { bus?: boolean } = {}): Promise<EventStoreHarness> {
  const schema = TEST_SCHEMA;
  const database = await createTestDatabase(label);
  const storePool = quietPool(database.url, 12, `test-${label}`);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: storePool }) });
  await migrateSchema(db, schema, eventStoreMigrations(schema));
  // As services wire it: appends outside a transaction go through the pool's prepared statement.
  const store = new EventStore(db, schema, storePool);
  const bus = options.bus ? await createTestBus() : undefined;
  const relays: { relay: OutboxRelay; pool: pg.Pool }[] = [];
  let cleaned = false;

  return {
    schema,
    database,
    db,
    store,
    bus,
    startRelay(relayOptions = {}) {
      if (!bus) throw new Error('this harness has no bus');
      const pool = quietPool(database.url, 2, `test-relay-${label}`);
      const publisher = new EventPublisher(bus.js, bus.names);
      const relay = new OutboxRelay(pool, {
        schema,
        publish: (events) => publisher.publishBatch(events),
        pollIntervalMs: 20,
        lockRetryMs: 100,
        ...relayOptions,
      });
      relays.push({ relay, pool });
      relay.start();
      return relay;
    },
    async cleanup() {
      // Every step runs even when one before it fails, and a second call does nothing.
      const steps = [
        ...relays.splice(0).map(({ relay, pool }) => async () => {
          try {
            await relay.stop();
          } finally {
            await pool.end();
          }
        }),
        ...(cleaned ? [] : [() => db.destroy(), async () => bus?.cleanup(), () => database.drop()]),
      ];
      cleaned = true;
      const failures: unknown[] = [];
      for (const step of steps) await step().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw new AggregateError(failures, 'cleaning up the event-store harness failed');
    },
  };
}

/**
 * pool.end() resolves before its connections have closed; dropping the database then terminates
 * them, and a pool without an error listener would throw that as an unhandled error.
 */
function quietPool(url: string, poolMax: number, applicationName: string): pg.Pool {
  const pool = createPool({ url, poolMax, applicationName });
  pool.on('error', () => undefined);
  return pool;
}

/** A message of the events stream, as the relay stored it. */
export interface RelayedMessage {
  readonly seq: number;
  readonly msgId: string;
  readonly subject: string;
  readonly envelope: EventEnvelope<Record<string, unknown>>;
}

/** Every message of the test's events stream, in stream order. */
export async function readRelayed(bus: TestBus): Promise<RelayedMessage[]> {
  const total = (await bus.jsm.streams.info(bus.names.eventsStream)).state.messages;
  if (total === 0) return [];
  const out: RelayedMessage[] = [];
  const consumer = await bus.js.consumers.get(bus.names.eventsStream);
  const messages = await consumer.consume({ max_messages: 1_000 });
  for await (const m of messages) {
    out.push({ seq: m.seq, msgId: m.headers?.get('Nats-Msg-Id') ?? '', subject: m.subject, envelope: m.json() });
    if (out.length >= total) break;
  }
  await messages.close();
  return out;
}

/** How many events the schema's log holds. */
export async function countStored(h: EventStoreHarness): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(h.schema, 'events')}`.execute(h.db);
  return rows[0]!.n;
}

/** Waits until the relay's checkpoint is at the last committed event (everything handed to the bus). */
export async function waitUntilRelayed(h: EventStoreHarness, what: string, timeoutMs = 30_000, relayName = 'relay'): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await sql<{ done: boolean }>`
        select coalesce((select (c.transaction_id, c.global_position) >= (e.transaction_id, e.global_position)
                  from ${sql.id(h.schema, 'outbox_checkpoint')} c
                  where c.relay = ${relayName}), false) as done
        from (select transaction_id, global_position from ${sql.id(h.schema, 'events')}
              order by transaction_id desc, global_position desc limit 1) e`.execute(h.db);
      return rows.length === 0 || rows[0]!.done;
    },
    what,
    timeoutMs,
    50,
  );
}

/** What exactly-once delivery is checked against: the log in Postgres and the events stream. */
export interface RelayAudit {
  readonly storedEvents: number;
  readonly streamMessages: number;
  readonly distinctMessageIds: number;
  /** Stored event ids missing from the stream. */
  readonly missing: string[];
  /** Stream ids whose versions do not arrive as 1, 2, 3, … in stream order. */
  readonly outOfOrder: string[];
}

export async function auditRelay(h: EventStoreHarness): Promise<RelayAudit> {
  if (!h.bus) throw new Error('this harness has no bus');
  const messages = await readRelayed(h.bus);
  const { rows } = await sql<{ event_id: string }>`select event_id from ${sql.id(h.schema, 'events')}`.execute(h.db);
  const published = new Set(messages.map((m) => m.msgId));
  const seen = new Map<string, number>();
  const outOfOrder = new Set<string>();
  for (const { envelope } of messages) {
    const previous = seen.get(envelope.streamId) ?? 0;
    if (envelope.streamVersion !== previous + 1) outOfOrder.add(envelope.streamId);
    seen.set(envelope.streamId, envelope.streamVersion);
  }
  return {
    storedEvents: rows.length,
    streamMessages: messages.length,
    distinctMessageIds: published.size,
    missing: rows.map((r) => r.event_id).filter((id) => !published.has(id)),
    outOfOrder: [...outOfOrder],
  };
}

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Compiles the libraries a child process needs (swc, as the build does) into a directory of its own
 * under dist/, so concurrent builds never swap files under a running child. Returns the path of the
 * compiled `libs/event-store/src/testing/<file>.js` and a function removing the output.
 */
export async function compileForChildProcess(file: string): Promise<{ script: string; remove: () => Promise<void> }> {
  const outDir = join(repoRoot, 'dist', '.int-fixtures', uniqueId());
  const sources = ['libs/contracts/src', 'libs/db/src', 'libs/identity/src', 'libs/bus/src', 'libs/event-store/src'];
  await run(join(repoRoot, 'node_modules/.bin/swc'), [...sources, '-d', outDir, '--ignore', '**/*.spec.ts', '--quiet'], { cwd: repoRoot });
  return {
    script: join(outDir, 'libs/event-store/src/testing', file.replace(/\.ts$/, '.js')),
    remove: async () => {
      await rm(outDir, { recursive: true, force: true });
      // The parent stays while another test file still has its own output in it.
      await rmdir(dirname(outDir)).catch(() => undefined);
    },
  };
}

/** Connection settings a child process needs to reach the same servers as the test. */
export const childServers = (h: EventStoreHarness) => ({
  databaseUrl: h.database.url,
  natsUrl: testServers.natsUrl,
});
