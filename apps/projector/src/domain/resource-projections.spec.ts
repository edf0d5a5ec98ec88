import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { DeliveredEvent } from '@vista/contracts';
import { InMemoryReadModel, type ReadModelSnapshot } from './in-memory-read-model.js';
import { delivered, EventFactory } from './testing/event.factory.js';

type AnyEnvelope = ReturnType<EventFactory['envelope']>;

/** Every order of the events, one batch each: the row must come out the same. */
function everyOrder<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => everyOrder([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const fold = (events: readonly DeliveredEvent<object>[]): ReadModelSnapshot => {
  const model = new InMemoryReadModel();
  for (const event of events) model.apply([event]);
  return model.snapshot();
};

const by = (envelope: AnyEnvelope, actor: string): AnyEnvelope => ({ ...envelope, metadata: { ...envelope.metadata, actor } });

describe('deck profiles', () => {
  const f = new EventFactory();
  const deckId = randomUUID();
  const events = delivered([
    by(f.deckIngested(deckId, { name: 'surface', datasetType: 'Surf' }), 'alice'),
    by(f.envelope('DeckUpdated', { deckId, name: 'surface v2', description: 'why', datasetType: 'Jetson', updatedAt: '2026-03-02T00:00:00.000Z' }), 'alice'),
    by(f.envelope('DeckArchived', { deckId, name: 'surface v2', description: 'why', datasetType: 'Jetson', archivedAt: '2026-03-03T00:00:00.000Z' }), 'root'),
  ]);

  it('takes the newest profile, keeps the stored columns and the uploader, whatever order the events are folded in', () => {
    const rows = everyOrder(events).map((order) => fold(order).decks);
    for (const [row] of rows) {
      expect(row).toMatchObject({
        deck_id: deckId,
        name: 'surface',
        format: 'csv',
        uploaded_by: 'alice',
        position: 1,
        profile: {
          name: 'surface v2',
          description: 'why',
          datasetType: 'Jetson',
          groundTruth: null,
          archived: true,
          archivedAt: '2026-03-03T00:00:00.000Z',
          updatedBy: 'root',
          position: 3,
        },
      });
      expect(row).toEqual(rows[0]![0]);
    }
  });
});

describe('kit definitions', () => {
  const f = new EventFactory();
  const runId = randomUUID();
  const definition = { name: 'furnace', defaultParams: { doe: { points: 20 } } };
  const events = delivered([
    by(f.envelope('KitCreated', { kitId: 7, ...definition, createdAt: '2025-12-01T00:00:00.000Z' }), 'alice'),
    by(f.kitRunStarted(7, runId), 'alice'),
    by(f.envelope('KitUpdated', { kitId: 7, ...definition, description: 'plant A', updatedAt: '2026-03-05T00:00:00.000Z' }), 'root'),
  ]);

  it('keeps the run columns from the runs and the definition from its newest event, in any order', () => {
    const rows = everyOrder(events).map((order) => fold(order).kits);
    for (const [row] of rows) {
      expect(row).toMatchObject({
        kit_id: 7,
        last_run_id: runId,
        status: 'PENDING',
        runs: 1,
        owner: 'alice',
        created_at: '2025-12-01T00:00:00.000Z',
        definition: { name: 'furnace', description: 'plant A', updatedBy: 'root', archived: false, position: 3 },
      });
      expect(row).toEqual(rows[0]![0]);
    }
  });

  it('shows a created kit with no run as NEW, owned by its creator', () => {
    const [created] = events;
    expect(fold([created!]).kits).toEqual([
      expect.objectContaining({ kit_id: 7, status: 'NEW', runs: 0, owner: 'alice', definition: expect.objectContaining({ name: 'furnace', archived: false }) }),
    ]);
  });
});

describe('projects', () => {
  it('records a project with its creator', () => {
    const f = new EventFactory();
    const projectId = randomUUID();
    const snapshot = fold(delivered([by(f.envelope('ProjectCreated', { projectId, name: 'plant A', createdAt: '2026-03-01T00:00:00.000Z' }), 'bob')]));
    expect(snapshot.projects).toEqual([
      {
        project_id: projectId,
        name: 'plant A',
        description: null,
        owner: 'bob',
        created_at: '2026-03-01T00:00:00.000Z',
        updated_at: '2026-03-01T00:00:00.000Z',
        position: 1,
      },
    ]);
  });
});
