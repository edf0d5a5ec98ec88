import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Role } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { createDatabase, migrateSchema } from '@vista/db';
import { EventStore } from '@vista/event-store';
import { type TestBus, type TestDatabase, createTestBus, createTestDatabase, testServers } from '@vista/testing';
import { type Kysely, sql } from 'kysely';
import { DeckModule } from '../app.module.js';
import { DECK_SCHEMA, loadDeckConfig } from '../config/deck.config.js';
import { computeStatistics } from '../domain/deck-statistics.js';
import { parseDeck } from '../domain/parse-deck.js';
import { deckMigrations } from '../migrations/deck.migrations.js';
import { DeckRepository } from '../repositories/deck.repository.js';
import { UploadStore } from '../uploads/upload-store.js';
import { ArchiveDeckUseCase } from './archive-deck/archive-deck.use-case.js';
import { ArchiveKitUseCase } from './archive-kit/archive-kit.use-case.js';
import { CreateKitUseCase } from './create-kit/create-kit.use-case.js';
import { CreateProjectUseCase } from './create-project/create-project.use-case.js';
import { ExportDeckUseCase } from './export-deck/export-deck.use-case.js';
import { StartKitRunUseCase } from './start-kit-run/start-kit-run.use-case.js';
import { UpdateDeckUseCase } from './update-deck/update-deck.use-case.js';
import { UpdateKitUseCase } from './update-kit/update-kit.use-case.js';

/** Datasets, kits and projects in the deck service (real Postgres and NATS): each change an event with its actor. */
describe('datasets, kits and projects in the deck service', () => {
  let database: TestDatabase;
  let bus: TestBus;
  let app: INestApplicationContext;
  let db: Kysely<any>;

  const ALICE = randomUUID();
  const BOB = randomUUID();
  const command = <P>(payload: P, actor = ALICE, roles: Role[] = ['logic.general']): CommandMessage<P> => ({
    payload,
    actor,
    roles,
    correlationId: randomUUID(),
  });
  const eventsOf = async (streamId: string) => {
    const { rows } = await sql<{ type: string; data: Record<string, unknown>; actor: string }>`
      select type, data, metadata->>'actor' as actor from deck.events where stream_id = ${streamId} order by stream_version`.execute(db);
    return rows;
  };

  beforeAll(async () => {
    database = await createTestDatabase('deck_resources');
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
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await bus?.cleanup();
    await database?.drop();
  });

  /**
   * Alice's deck from the example file, parsed here (the service parses on its worker pool, which runs
   * the built code) and stored with its DeckIngested event as an upload would be.
   */
  const ingest = async (): Promise<string> => {
    const content = await readFile(path.resolve(process.cwd(), 'examples/decks/quadratic-surface.csv'));
    const table = parseDeck({ format: 'csv', content });
    const parsed = {
      columns: table.columns,
      factors: table.factors,
      responses: table.responses,
      rowCount: table.rows.length,
      rowsJson: JSON.stringify(table.rows),
      statistics: computeStatistics(table),
    };
    const deckId = randomUUID();
    await app.get(EventStore).inTransaction(async (trx) => {
      await app.get(DeckRepository).insert(trx, { deckId, name: 'surface', datasetType: 'Surf', format: 'csv', source: 'upload:test', parsed });
      await app.get(EventStore).append(
        {
          streamId: `deck-${deckId}`,
          expectedVersion: 0,
          events: [
            {
              type: 'DeckIngested',
              data: {
                deckId,
                name: 'surface',
                datasetType: 'Surf',
                format: 'csv',
                factors: parsed.factors,
                responses: parsed.responses,
                rowCount: parsed.rowCount,
                statistics: parsed.statistics as unknown as Record<string, unknown>,
                ingestedAt: new Date().toISOString(),
              },
            },
          ],
        },
        { actor: ALICE, correlationId: randomUUID() },
        trx,
      );
    });
    return deckId;
  };

  describe('decks', () => {
    it('records an update and an archive as events with their actor, keeping the profile whole', async () => {
      const deckId = await ingest();
      const updated = await app.get(UpdateDeckUseCase).execute(command({ deckId, name: 'surface v2', description: 'why', groundTruth: '/truth/a.csv' }));
      expect(updated).toEqual({ deckId, name: 'surface v2', description: 'why', datasetType: 'Surf', groundTruth: '/truth/a.csv', archived: false });
      await app.get(UpdateDeckUseCase).execute(command({ deckId, datasetType: 'Jetson', groundTruth: null }, BOB, ['admin']));
      const archived = await app.get(ArchiveDeckUseCase).execute(command({ deckId }));
      expect(archived).toMatchObject({ name: 'surface v2', datasetType: 'Jetson', groundTruth: null, archived: true });
      const events = await eventsOf(`deck-${deckId}`);
      expect(events.map((e) => [e.type, e.actor])).toEqual([
        ['DeckIngested', ALICE],
        ['DeckUpdated', ALICE],
        ['DeckUpdated', BOB],
        ['DeckArchived', ALICE],
      ]);
      expect(events[2]!.data).toMatchObject({ deckId, name: 'surface v2', description: 'why', datasetType: 'Jetson' });
      expect(events[2]!.data).not.toHaveProperty('groundTruth');
      // Archived, never deleted: the table is still stored.
      const { rows } = await sql`select deck_id from deck.decks where deck_id = ${deckId}`.execute(db);
      expect(rows).toHaveLength(1);
      await expect(app.get(ArchiveDeckUseCase).execute(command({ deckId }))).rejects.toMatchObject({ code: 'conflict' });
    });

    it("refuses another user's change and an unknown deck", async () => {
      const deckId = await ingest();
      await expect(app.get(UpdateDeckUseCase).execute(command({ deckId, name: 'mine' }, BOB))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(app.get(ArchiveDeckUseCase).execute(command({ deckId }, BOB))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(app.get(UpdateDeckUseCase).execute(command({ deckId: randomUUID(), name: 'x' }))).rejects.toMatchObject({ code: 'not-found' });
      expect((await eventsOf(`deck-${deckId}`)).map((e) => e.type)).toEqual(['DeckIngested']);
    });

    it('exports the stored table as CSV into the uploads bucket', async () => {
      const deckId = await ingest();
      const exported = await app.get(ExportDeckUseCase).execute(command({ deckId, format: 'csv' as const }));
      expect(exported).toMatchObject({ fileName: 'surface.csv', contentType: 'text/csv; charset=utf-8' });
      const text = new TextDecoder().decode(await app.get(UploadStore).read(exported.objectKey));
      const source = (await readFile(path.resolve(process.cwd(), 'examples/decks/quadratic-surface.csv'), 'utf8')).trim().split(/\r?\n/);
      const lines = text.trim().split('\r\n');
      expect(lines).toHaveLength(source.length);
      expect(lines[0]).toBe(source[0]);
      expect(lines[1]!.split(',').map(Number)).toEqual(source[1]!.split(',').map(Number));
      await app.get(UploadStore).remove(exported.objectKey);
    });
  });

  describe('kits', () => {
    it('gives a created kit an id no run has used, and records it with its creator', async () => {
      await app.get(StartKitRunUseCase).execute(command({ kitId: 1, sourcePath: 'quadratic-surface.csv' }));
      const kit = await app.get(CreateKitUseCase).execute(command({ name: ' furnace ', description: 'plant A', defaultParams: { doe: { points: 20 } } }));
      expect(kit).toEqual({ kitId: 2, name: 'furnace', description: 'plant A', defaultParams: { doe: { points: 20 } }, projectId: null, archived: false });
      const second = await app.get(CreateKitUseCase).execute(command({ name: 'another' }));
      expect(second.kitId).toBe(3);
      expect((await eventsOf('kit-2')).map((e) => [e.type, e.actor, e.data.name])).toEqual([['KitCreated', ALICE, 'furnace']]);
    });

    it('creates one kit and one project for a repeated idempotency key, answering the repeat with the first', async () => {
      const key = (route: string) => ({ key: `k-${randomUUID()}`, route, requestDigest: 'a'.repeat(64) });
      const kitKey = key('POST /api/v1/kits');
      const first = await app.get(CreateKitUseCase).execute(command({ name: 'once', idempotency: kitKey }));
      const again = await app.get(CreateKitUseCase).execute(command({ name: 'once', idempotency: kitKey }));
      expect(again).toEqual(first);
      const projectKey = key('POST /api/v1/projects');
      const project = await app.get(CreateProjectUseCase).execute(command({ name: 'once', idempotency: projectKey }));
      expect(await app.get(CreateProjectUseCase).execute(command({ name: 'once', idempotency: projectKey }))).toEqual(project);
      const { rows } = await sql<{
        n: string;
      }>`select count(*) as n from deck.events where type in ('KitCreated', 'ProjectCreated') and data->>'name' = 'once'`.execute(db);
      expect(Number(rows[0]!.n)).toBe(2);
    });

    it("names a kit first started by id: its first run's starter owns it", async () => {
      await app.get(StartKitRunUseCase).execute(command({ kitId: 40, sourcePath: 'quadratic-surface.csv' }, BOB));
      await expect(app.get(UpdateKitUseCase).execute(command({ kitId: 40, name: 'mine' }))).rejects.toMatchObject({ code: 'forbidden' });
      const named = await app.get(UpdateKitUseCase).execute(command({ kitId: 40, name: 'line 40', description: 'named later' }, BOB));
      expect(named).toMatchObject({ kitId: 40, name: 'line 40', description: 'named later', archived: false });
      expect((await eventsOf('kit-40')).map((e) => [e.type, e.actor, e.data.name])).toEqual([['KitUpdated', BOB, 'line 40']]);
      expect(await app.get(UpdateKitUseCase).execute(command({ kitId: 40, defaultParams: { doe: { points: 9 } } }, BOB))).toMatchObject({
        name: 'line 40',
        defaultParams: { doe: { points: 9 } },
      });
    });

    it('updates and archives a kit as its owner or an admin, and refuses anyone else', async () => {
      const { kitId } = await app.get(CreateKitUseCase).execute(command({ name: 'k' }));
      const project = await app.get(CreateProjectUseCase).execute(command({ name: 'plant A' }));
      await expect(app.get(UpdateKitUseCase).execute(command({ kitId, name: 'taken' }, BOB))).rejects.toMatchObject({ code: 'forbidden' });
      const updated = await app.get(UpdateKitUseCase).execute(command({ kitId, projectId: project.projectId, description: 'd' }));
      expect(updated).toMatchObject({ kitId, name: 'k', projectId: project.projectId, description: 'd' });
      await app.get(ArchiveKitUseCase).execute(command({ kitId }, BOB, ['admin']));
      await expect(app.get(ArchiveKitUseCase).execute(command({ kitId }))).rejects.toMatchObject({ code: 'conflict' });
      await expect(app.get(UpdateKitUseCase).execute(command({ kitId: 77_777, name: 'x' }))).rejects.toMatchObject({ code: 'not-found' });
      expect((await eventsOf(`kit-${kitId}`)).map((e) => [e.type, e.actor])).toEqual([
        ['KitCreated', ALICE],
        ['KitUpdated', ALICE],
        ['KitArchived', BOB],
      ]);
      expect((await eventsOf(`project-${project.projectId}`)).map((e) => [e.type, e.actor, e.data.name])).toEqual([['ProjectCreated', ALICE, 'plant A']]);
    });
  });
});
