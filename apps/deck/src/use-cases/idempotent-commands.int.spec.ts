import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CommandIdempotencyV1, IdempotencyKeyReusedError, type StartKitRunV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { createDatabase, migrateSchema } from '@vista/db';
import { type TestBus, type TestDatabase, createTestBus, createTestDatabase, testServers } from '@vista/testing';
import { type Kysely, sql } from 'kysely';
import { DeckModule } from '../app.module.js';
import { DECK_SCHEMA, loadDeckConfig } from '../config/deck.config.js';
import { deckMigrations } from '../migrations/deck.migrations.js';
import { StartKitRunUseCase } from './start-kit-run/start-kit-run.use-case.js';
import { StopKitRunUseCase } from './stop-kit-run/stop-kit-run.use-case.js';

const ROUTE = 'POST /api/v1/kits/{kitId}/runs';
const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('keyed commands in the deck service (real Postgres and NATS)', () => {
  let database: TestDatabase;
  let bus: TestBus;
  let app: INestApplicationContext;
  let db: Kysely<any>;
  let start: StartKitRunUseCase;
  let stop: StopKitRunUseCase;

  beforeAll(async () => {
    database = await createTestDatabase('deck_idempotency');
    bus = await createTestBus();
    db = createDatabase<any>({ url: database.url, poolMax: 4 });
    await migrateSchema(db, DECK_SCHEMA, deckMigrations(DECK_SCHEMA));
    const config = loadDeckConfig({
      DATABASE_URL: database.url,
      NATS_URL: testServers.natsUrl,
      VISTA_BUS_NAMESPACE: bus.namespace,
      LOG_LEVEL: 'silent',
      DECK_SOURCE_DIR: path.resolve(process.cwd(), 'examples/decks'),
    });
    app = await NestFactory.createApplicationContext(DeckModule.forRoot(config), { logger: false });
    await app.init();
    start = app.get(StartKitRunUseCase);
    stop = app.get(StopKitRunUseCase);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await bus?.cleanup();
    await database?.drop();
  });

  const startCommand = (kitId: number, idempotency?: CommandIdempotencyV1, actor = 'anonymous'): CommandMessage<StartKitRunV1> => ({
    payload: { kitId, sourcePath: 'quadratic-surface.csv', ...(idempotency ? { idempotency } : {}) },
    actor,
    correlationId: randomUUID(),
  });
  const runsOfKit = async (kitId: number) => {
    const { rows } = await sql<{ run_id: string }>`
      select data->>'runId' as run_id from deck.events where type = 'KitRunStarted' and (data->>'kitId')::int = ${kitId}`.execute(db);
    return rows.map((r) => r.run_id);
  };

  it('starts one run for two concurrent starts with one key, and answers both with it', async () => {
    const key = { key: `k-${randomUUID()}`, route: ROUTE, requestDigest: digestOf({ kitId: 7 }) };
    const [first, second] = await Promise.all([start.execute(startCommand(7, key)), start.execute(startCommand(7, key))]);
    expect(second).toEqual(first);
    expect(await runsOfKit(7)).toEqual([first.runId]);
    const { rows } = await sql`select command, result from deck.idempotent_commands where idempotency_key = ${key.key}`.execute(db);
    expect(rows).toEqual([{ command: 'StartKitRun', result: first }]);
  });

  it('answers a later repeat with the first result and starts nothing', async () => {
    const key = { key: `k-${randomUUID()}`, route: ROUTE, requestDigest: digestOf({ kitId: 8 }) };
    const first = await start.execute(startCommand(8, key));
    const again = await start.execute(startCommand(8, key));
    expect(again).toEqual(first);
    expect(await runsOfKit(8)).toEqual([first.runId]);
  });

  it('refuses the key with another request digest, naming the key, and starts nothing', async () => {
    const key = { key: `k-${randomUUID()}`, route: ROUTE, requestDigest: digestOf({ kitId: 9 }) };
    const first = await start.execute(startCommand(9, key));
    const other = start.execute(startCommand(9, { ...key, requestDigest: digestOf({ kitId: 9, params: {} }) }));
    await expect(other).rejects.toThrow(IdempotencyKeyReusedError);
    await expect(other).rejects.toMatchObject({ code: 'idempotency-key-reused', message: expect.stringContaining(key.key) });
    expect(await runsOfKit(9)).toEqual([first.runId]);
  });

  it('keeps keys apart per actor and per route', async () => {
    const key = { key: `k-${randomUUID()}`, route: ROUTE, requestDigest: digestOf({ kitId: 10 }) };
    const mine = await start.execute(startCommand(10, key, 'user:a'));
    const theirs = await start.execute(startCommand(10, key, 'user:b'));
    const otherRoute = await start.execute(startCommand(10, { ...key, route: 'POST /api/v2/kits/{kitId}/runs' }, 'user:a'));
    expect(new Set([mine.runId, theirs.runId, otherRoute.runId]).size).toBe(3);
    expect((await runsOfKit(10)).sort()).toEqual([mine.runId, theirs.runId, otherRoute.runId].sort());
  });

  it('runs a key again once its first answer is older than a day, and purges expired keys', async () => {
    const key = { key: `k-${randomUUID()}`, route: ROUTE, requestDigest: digestOf({ kitId: 11 }) };
    const first = await start.execute(startCommand(11, key));
    await sql`update deck.idempotent_commands set created_at = now() - interval '25 hours' where idempotency_key = ${key.key}`.execute(db);
    const stale = `k-${randomUUID()}`;
    await sql`insert into deck.idempotent_commands (scope, route, idempotency_key, request_digest, command, result, created_at)
      values ('anonymous', ${ROUTE}, ${stale}, ${'0'.repeat(64)}, 'StartKitRun', 'null', now() - interval '30 hours')`.execute(db);
    const second = await start.execute(startCommand(11, key));
    expect(second.runId).not.toBe(first.runId);
    const { rows } = await sql<{ idempotency_key: string }>`
      select idempotency_key from deck.idempotent_commands where idempotency_key in (${key.key}, ${stale})`.execute(db);
    expect(rows).toEqual([{ idempotency_key: key.key }]);
  });

  it('stops a run once for a repeated keyed stop', async () => {
    const run = await start.execute(startCommand(12));
    const key = { key: `k-${randomUUID()}`, route: 'POST /api/v1/runs/{runId}/control', requestDigest: digestOf({ runId: run.runId, action: 'stop' }) };
    const command = (): CommandMessage<{ runId: string; idempotency: CommandIdempotencyV1 }> => ({
      payload: { runId: run.runId, idempotency: key },
      actor: 'anonymous',
      correlationId: randomUUID(),
    });
    const first = await stop.execute(command());
    const again = await stop.execute(command());
    expect(again).toEqual(first);
    const { rows } = await sql`select count(*)::int as n from deck.events where type = 'KitRunStopped' and data->>'runId' = ${run.runId}`.execute(db);
    expect(rows).toEqual([{ n: 1 }]);
  });
});
