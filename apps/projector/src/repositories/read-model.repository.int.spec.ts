import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Kysely, sql } from 'kysely';
import { createDatabase, migrateSchema } from '@vista/db';
import { createTestDatabase, type TestDatabase } from '@vista/testing';
import { InMemoryReadModel } from '../domain/in-memory-read-model.js';
import { delivered, EventFactory } from '../domain/testing/event.factory.js';
import { readModelMigrations } from '@vista/read-model';
import { ReadModelRepository } from './read-model.repository.js';
import { readSnapshot } from './read-model.snapshot.js';

describe('ReadModelRepository', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  let schemaCount = 0;

  const freshRepository = async (): Promise<ReadModelRepository> => {
    const schema = `read_${++schemaCount}`;
    await migrateSchema(db, schema, readModelMigrations(schema));
    return new ReadModelRepository(db, schema);
  };

  const story = () => {
    const f = new EventFactory();
    const stopped = f.kitRun({ kitId: 5, stopAt: { task: 'doe', ending: 'CANCELLED' } });
    const runId = stopped[0]!.data.runId as string;
    const { jobId } = stopped.find((e) => e.type === 'DoeRequested')!.data as { jobId: string };
    const doe = { kitId: 5, runId, jobId, attempt: 1 };
    const deckId = randomUUID();
    const kit9 = { kitId: 9, name: 'furnace', defaultParams: { doe: { points: 20 } } };
    return delivered([
      f.deckIngested(),
      // Datasets, kits and projects: an update folded before the creation it follows, then runs and archives.
      f.deckIngested(deckId, { name: 'surface', datasetType: 'Surf' }),
      f.envelope('DeckUpdated', { deckId, name: 'surface v2', datasetType: 'Jetson', updatedAt: '2026-01-02T00:00:00.000Z' }),
      f.envelope('KitUpdated', { ...kit9, description: 'plant A', updatedAt: '2026-01-02T00:00:00.000Z' }),
      f.envelope('KitCreated', { ...kit9, createdAt: '2025-12-01T00:00:00.000Z' }),
      ...f.kitRun({ kitId: 9 }),
      f.envelope('KitArchived', { ...kit9, description: 'plant A', archivedAt: '2026-01-03T00:00:00.000Z' }),
      f.envelope('DeckArchived', { deckId, name: 'surface v2', datasetType: 'Jetson', archivedAt: '2026-01-03T00:00:00.000Z' }),
      f.envelope('ProjectCreated', { projectId: randomUUID(), name: 'plant A', createdAt: '2026-01-01T00:00:00.000Z' }),
      ...f.kitRun({ kitId: 1 }),
      ...f.kitRun({ kitId: 2, stopAt: { task: 'training', ending: 'FAILED' } }),
      ...f.kitRun({ kitId: 1, stopAt: { task: 'doe', ending: 'CANCELLED' } }),
      ...f.kitRun({ kitId: 3, stopAt: { task: 'optimize', ending: 'TIMEOUT' } }),
      ...f.kitRun({ kitId: 4, stopAt: { task: 'scaling', ending: 'RUNNING' } }),
      // A run stopped and retried: attempt 2 of its DOE job, the controls and the job's log lines.
      ...stopped,
      f.kitRunStopped(5, runId, 'wrong deck'),
      f.jobLogged(doe, 'doe', [
        { message: 'design: 20 points', task: 'doe' },
        { message: 'cancelled', level: 'warn' },
      ]),
      f.kitRunRetried(5, runId),
      f.lifecycle('DoeRequested', { ...doe, attempt: 2 }),
      f.lifecycle('DoeStarted', { ...doe, attempt: 2 }),
      f.jobLogged({ ...doe, attempt: 2 }, 'doe', [{ message: 'design: 20 points, again' }]),
      f.kitRunStopped(5, runId, 'changed my mind'),
    ]);
  };

  beforeAll(async () => {
    database = await createTestDatabase('projector_repo');
    db = createDatabase({ url: database.url, poolMax: 4 });
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('writes what the in-memory fold computes', async () => {
    const events = story();
    const sut = await freshRepository();
    const reference = new InMemoryReadModel();
    for (let i = 0; i < events.length; i += 7) {
      await sut.apply(events.slice(i, i + 7));
      reference.apply(events.slice(i, i + 7));
    }

    const snapshot = await readSnapshot(db, sut.schema);
    expect(snapshot).toEqual(reference.snapshot());
    expect(snapshot.kits.find((k) => k.kit_id === 1)).toMatchObject({ runs: 2, status: 'CANCELLED', current_task: 'doe' });
    expect(snapshot.kits.find((k) => k.kit_id === 9)).toMatchObject({
      runs: 1,
      status: 'SUCCESS',
      definition: { name: 'furnace', description: 'plant A', archived: true },
    });
    expect(snapshot.decks.find((d) => d.name === 'surface')).toMatchObject({
      format: 'csv',
      profile: { name: 'surface v2', datasetType: 'Jetson', archived: true },
    });
    expect(snapshot.projects.map((p) => p.name)).toEqual(['plant A']);
    expect(snapshot.doe_step.filter((d) => d.kit_id === 5).map((d) => [d.attempt, d.status])).toEqual([
      [1, 'CANCELLED'],
      [2, 'RUNNING'],
    ]);
    expect(snapshot.runs.find((r) => r.kit_id === 5)?.last_control).toMatchObject({ action: 'stop', reason: 'changed my mind', actor: 'user:ada' });
    expect(snapshot.job_logs.map((l) => [l.attempt, l.seq, l.message])).toEqual([
      [1, 0, 'design: 20 points'],
      [1, 1, 'cancelled'],
      [2, 0, 'design: 20 points, again'],
    ]);
    expect(await sut.status()).toMatchObject({ position: events.length, appliedEvents: events.length });
  });

  it('gives the same tables when batches come out of order and some come twice', async () => {
    const events = story();
    const inOrder = await freshRepository();
    await inOrder.apply(events);

    const shuffled = await freshRepository();
    const batches: (typeof events)[] = [];
    for (let i = 0; i < events.length; i += 5) batches.push(events.slice(i, i + 5));
    batches.reverse();
    for (const batch of [...batches, batches[3]!, batches[0]!]) await shuffled.apply(batch);
    // A copy re-published later (new position, same event id) is recognised as applied.
    const copies = events.slice(10, 20).map((e, i) => ({ envelope: e.envelope, position: events.length + 1 + i }));
    const result = await shuffled.apply(copies);

    expect(result.fresh).toBe(0);
    expect(await readSnapshot(db, shuffled.schema)).toEqual(await readSnapshot(db, inOrder.schema));
  });

  it('leaves rows untouched when a batch is applied again', async () => {
    const events = story();
    const sut = await freshRepository();
    await sut.apply(events);
    // xmin is the row version: unchanged when the upsert's guard leaves the row as it was.
    const versions = () => sql`select kit_id, task_name, xmin::text from ${sql.id(sut.schema)}.kit_state order by 1, 2`.execute(db);
    const before = await versions();

    const again = await sut.apply(events);

    expect(again.fresh).toBe(0);
    expect((await versions()).rows).toEqual(before.rows);
  });

  it('folds 20,000 events in batches of 500 and reports the rate', async () => {
    const f = new EventFactory();
    const envelopes = [];
    for (let run = 0; envelopes.length < 20_000; run++) envelopes.push(...f.kitRun({ kitId: 1 + (run % 200) }));
    const events = delivered(envelopes);
    const sut = await freshRepository();

    const started = performance.now();
    for (let i = 0; i < events.length; i += 500) await sut.apply(events.slice(i, i + 500), { fenced: true });
    const seconds = (performance.now() - started) / 1000;

    const rate = Math.round(events.length / seconds);
    process.stdout.write(`read-model fold: ${events.length} events in ${seconds.toFixed(2)} s = ${rate} events/s\n`);
    expect(await sut.status()).toMatchObject({ position: events.length, appliedEvents: events.length });
  }, 120_000);
});
