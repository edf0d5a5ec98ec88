import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArchiveDeck, ExportDeck, UpdateDeck } from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { UploadStore } from '../uploads/upload.store.js';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';

/**
 * Datasets (decks): the list with each filter, sort and keyset paging, bad parameters as 400
 * problems naming the parameter, update, archive (refused while a running run uses the deck),
 * download, and who may see and change what.
 */
const ALICE = randomUUID();
const BOB = randomUUID();
const TYPES = ['Vector', 'Surf', 'Jetson'] as const;

let gw: GatewayHarness;
const as = async (sub: string, roles: string[] = ['logic.general']) => gw.identity.headers({ sub, roles: roles as never });
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface DeckItem {
  deckId: string;
  name: string;
  datasetType: string;
  archived: boolean;
  uploadedBy: string;
  ingestedAt: string;
  description: string | null;
  groundTruth: string | null;
}
interface DeckPage {
  items: DeckItem[];
  nextCursor: string | null;
  sort: string;
  freshness: { position: number };
}

const list = async (query: string, headers: Record<string, string>): Promise<DeckPage> => {
  const response = await call('GET', `/api/v1/decks${query}`, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as DeckPage;
};

const problem = async (query: string, headers: Record<string, string>) => {
  const response = await call('GET', `/api/v1/decks${query}`, headers);
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { errors: { path: string; message: string }[] };
};

/** Alice's decks: one a minute from 08:00 on 1 March, types in turn, every fourth with a description. */
const aliceDeck = (i: number, extra: Record<string, unknown> = {}) => {
  const at = new Date(Date.UTC(2026, 2, 1, 8, i));
  return F.deck({
    deck_id: randomUUID(),
    name: `line ${String(i).padStart(2, '0')}`,
    dataset_type: TYPES[i % 3],
    uploaded_by: ALICE,
    ingested_at: at,
    profile: JSON.stringify({
      name: `line ${String(i).padStart(2, '0')}`,
      description: i % 4 === 0 ? `furnace batch ${i}` : null,
      datasetType: TYPES[i % 3],
      groundTruth: `/truth/line-${i}.csv`,
      archived: false,
      archivedAt: null,
      updatedAt: at.toISOString(),
      updatedBy: ALICE,
      position: 100 + i,
    }),
    position: 100 + i,
    ...extra,
  });
};

const ALICE_DECKS = Array.from({ length: 12 }, (_, i) => aliceDeck(i));
const ARCHIVED = aliceDeck(40, {
  profile: JSON.stringify({
    name: 'old line',
    description: null,
    datasetType: 'Surf',
    groundTruth: null,
    archived: true,
    archivedAt: '2026-03-02T00:00:00.000Z',
    updatedAt: '2026-03-02T00:00:00.000Z',
    updatedBy: ALICE,
    position: 300,
  }),
});
const BOB_DECK = F.deck({ deck_id: randomUUID(), name: 'bob private', uploaded_by: BOB, ingested_at: new Date('2026-03-01T09:00:00Z'), position: 200 });
const IN_USE = aliceDeck(50);
const IN_USE_RUN = randomUUID();

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  await insertRows(gw.db, 'decks', [...ALICE_DECKS, ARCHIVED, BOB_DECK, IN_USE]);
  await insertRows(gw.db, 'kits', [F.kit({ kit_id: 5, last_run_id: IN_USE_RUN, owner: ALICE, position: 400 })]);
  await insertRows(gw.db, 'runs', [F.run({ run_id: IN_USE_RUN, kit_id: 5, deck_id: IN_USE.deck_id, started_by: ALICE, status: 'RUNNING', position: 400 })]);
  await gw.db.withSchema('read').updateTable('projector_status').set({ position: 987, lag_events: 0 }).where('projector', '=', 'projector').execute();
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('GET /api/v1/decks', () => {
  it("lists the caller's datasets, newest first, without archived ones, saying how fresh the list is", async () => {
    const response = await call('GET', '/api/v1/decks?pageSize=100', await as(ALICE));
    expect(response.status).toBe(200);
    expect(response.headers.get('vista-position')).toBe('987');
    const page = (await response.json()) as DeckPage;
    expect(page.sort).toBe('-createdAt');
    expect(page.freshness.position).toBe(987);
    expect(page.nextCursor).toBeNull();
    const expected = [IN_USE, ...[...ALICE_DECKS].reverse()].map((d) => d.deck_id);
    expect(page.items.map((d) => d.deckId)).toEqual(expected);
    expect(page.items.every((d) => d.uploadedBy === ALICE && !d.archived)).toBe(true);
  });

  it('filters by type, name, search text, time stored and archived state', async () => {
    const alice = await as(ALICE);
    const surf = await list('?datasetType=Surf&pageSize=100', alice);
    expect(surf.items.map((d) => d.name).sort()).toEqual(['line 01', 'line 04', 'line 07', 'line 10']);
    expect((await list('?name=LINE%2011', alice)).items.map((d) => d.name)).toEqual(['line 11']);
    expect((await list('?q=furnace', alice)).items.map((d) => d.name)).toEqual(['line 08', 'line 04', 'line 00']);
    const between = await list(`?createdFrom=${encodeURIComponent('2026-03-01T08:03:00Z')}&createdTo=${encodeURIComponent('2026-03-01T08:05:00Z')}`, alice);
    expect(between.items.map((d) => d.name)).toEqual(['line 05', 'line 04', 'line 03']);
    expect((await list('?archived=only', alice)).items.map((d) => [d.name, d.archived])).toEqual([['old line', true]]);
    expect((await list('?archived=include&pageSize=100', alice)).items).toHaveLength(14);
    expect((await list(`?owner=${ALICE}`, alice)).items).toHaveLength(13);
  });

  it('sorts by a declared field, either way', async () => {
    const byName = await list('?sort=name&pageSize=3', await as(ALICE));
    expect(byName.items.map((d) => d.name)).toEqual(['line 00', 'line 01', 'line 02']);
    const byNameDown = await list('?sort=-name&pageSize=2', await as(ALICE));
    expect(byNameDown.items.map((d) => d.name)).toEqual(['line 50', 'line 11']);
  });

  it('pages to the end by cursor with no row twice or missing while rows are being added', async () => {
    const alice = await as(ALICE);
    const before = (await list('?pageSize=200', alice)).items.map((d) => d.deckId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const page: DeckPage = await list(`?pageSize=4${cursor ? `&cursor=${cursor}` : ''}`, alice);
      seen.push(...page.items.map((d) => d.deckId));
      cursor = page.nextCursor;
      // Newer decks arrive between pages (they sort before the cursor: the next pages are unaffected).
      await insertRows(gw.db, 'decks', [aliceDeck(60 + added++, { ingested_at: new Date(Date.now() + added * 1000) })]);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before);
    expect(added).toBe(4);
  });

  it('refuses bad parameters with a problem naming each', async () => {
    const alice = await as(ALICE);
    expect((await problem('?colour=red', alice)).errors.map((e) => e.path)).toEqual(['colour']);
    expect((await problem('?createdFrom=yesterday', alice)).errors).toEqual([
      { path: 'createdFrom', message: 'createdFrom must be an ISO 8601 date-time (2026-03-01T08:00:00Z)' },
    ]);
    expect((await problem('?createdTo=2026-02-30T00:00:00Z', alice)).errors.map((e) => e.path)).toEqual(['createdTo']);
    expect((await problem('?createdFrom=2026-03-02T00:00:00Z&createdTo=2026-03-01T00:00:00Z', alice)).errors.map((e) => e.path)).toEqual(['createdTo']);
    expect((await problem('?pageSize=0', alice)).errors.map((e) => e.path)).toEqual(['pageSize']);
    expect((await problem('?pageSize=10000', alice)).errors).toEqual([{ path: 'pageSize', message: 'pageSize must not be greater than 200' }]);
    expect((await problem('?sort=colour', alice)).errors.map((e) => e.path)).toEqual(['sort']);
    expect((await problem('?datasetType=Lidar', alice)).errors.map((e) => e.path)).toEqual(['datasetType']);
    expect((await problem('?archived=maybe', alice)).errors.map((e) => e.path)).toEqual(['archived']);
    expect((await problem('?cursor=bm90LWEtY3Vyc29y', alice)).errors.map((e) => e.path)).toEqual(['cursor']);
    const byName = await list('?sort=name&pageSize=1', alice);
    // A cursor is for the sort it was given in.
    expect((await problem(`?cursor=${byName.nextCursor}`, alice)).errors.map((e) => e.path)).toEqual(['cursor']);
  });

  it("keeps users to their own datasets; an admin lists and filters anyone's", async () => {
    expect((await list('?pageSize=200', await as(BOB))).items.map((d) => d.deckId)).toEqual([BOB_DECK.deck_id]);
    const refused = await call('GET', `/api/v1/decks?owner=${BOB}`, await as(ALICE));
    expect(refused.status).toBe(403);
    const admin = await as(randomUUID(), ['admin']);
    expect((await list(`?owner=${BOB}`, admin)).items.map((d) => d.deckId)).toEqual([BOB_DECK.deck_id]);
    expect((await list('?pageSize=200', admin)).items.map((d) => d.uploadedBy)).toEqual(expect.arrayContaining([ALICE, BOB]));
  });
});

describe('GET /api/v1/decks/{deckId}', () => {
  it('reads an archived dataset by id, with archived: true', async () => {
    const response = await call('GET', `/api/v1/decks/${ARCHIVED.deck_id}`, await as(ALICE));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ deckId: ARCHIVED.deck_id, name: 'old line', archived: true, archivedAt: '2026-03-02T00:00:00.000Z' });
    expect(response.headers.get('etag')).toBe(`W/"deck-${ARCHIVED.deck_id}-300"`);
  });
});

describe('PATCH /api/v1/decks/{deckId}', () => {
  it("sends the change to the deck service as the caller and answers the dataset's new profile", async () => {
    const deck = ALICE_DECKS[1]!;
    const service = await respondTo<Record<string, unknown>>(gw.bus, UpdateDeck, (packet) => ({
      response: { deckId: deck.deck_id, name: 'renamed', description: 'd', datasetType: 'Jetson', groundTruth: null, archived: false, ...packet.data.payload },
    }));
    const response = await call('PATCH', `/api/v1/decks/${deck.deck_id}`, await as(ALICE), { name: 'renamed', datasetType: 'Jetson', groundTruth: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ deckId: deck.deck_id, name: 'renamed', datasetType: 'Jetson', groundTruth: null });
    expect(service.received.map((p) => [p.data.payload, p.data.actor])).toEqual([
      [{ deckId: deck.deck_id, name: 'renamed', datasetType: 'Jetson', groundTruth: null }, ALICE],
    ]);
    service.subscription.unsubscribe();
  });

  it("refuses bad fields, and another user's dataset as if it did not exist (an admin may change it)", async () => {
    const deck = ALICE_DECKS[2]!;
    const service = await respondTo(gw.bus, UpdateDeck, () => ({
      response: { deckId: deck.deck_id, name: 'x', description: null, datasetType: 'Vector', groundTruth: null, archived: false },
    }));
    const bad = await call('PATCH', `/api/v1/decks/${deck.deck_id}`, await as(ALICE), { datasetType: 'Lidar', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['colour', 'datasetType']);
    expect((await call('PATCH', `/api/v1/decks/${deck.deck_id}`, await as(BOB), { name: 'mine now' })).status).toBe(404);
    expect((await call('POST', `/api/v1/decks/${deck.deck_id}/archive`, await as(BOB))).status).toBe(404);
    expect((await call('GET', `/api/v1/decks/${deck.deck_id}/download`, await as(BOB))).status).toBe(404);
    expect(service.received).toHaveLength(0);
    expect((await call('PATCH', `/api/v1/decks/${deck.deck_id}`, await as(randomUUID(), ['admin']), { name: 'x' })).status).toBe(200);
    expect(service.received).toHaveLength(1);
    service.subscription.unsubscribe();
  });
});

describe('POST /api/v1/decks/{deckId}/archive', () => {
  it('is refused while a running run uses the dataset, succeeds once the run has ended, and then the dataset leaves default lists', async () => {
    const alice = await as(ALICE);
    const service = await respondTo(gw.bus, ArchiveDeck, () => ({
      response: { deckId: IN_USE.deck_id, name: 'line 50', description: null, datasetType: 'Vector', groundTruth: null, archived: true },
    }));
    const refused = await call('POST', `/api/v1/decks/${IN_USE.deck_id}/archive`, alice);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain(`run ${IN_USE_RUN} of kit 5, RUNNING`);
    expect(service.received).toHaveLength(0);

    await gw.db.withSchema('read').updateTable('runs').set({ status: 'SUCCESS' }).where('run_id', '=', IN_USE_RUN).execute();
    const archived = await call('POST', `/api/v1/decks/${IN_USE.deck_id}/archive`, alice);
    expect(archived.status).toBe(200);
    expect(await archived.json()).toMatchObject({ deckId: IN_USE.deck_id, archived: true });
    expect(service.received).toHaveLength(1);
    service.subscription.unsubscribe();

    // What the projector folds from DeckArchived (its own spec covers the fold).
    const profile = {
      ...JSON.parse((IN_USE as unknown as { profile: string }).profile),
      archived: true,
      archivedAt: '2026-03-03T00:00:00.000Z',
      position: 999,
    };
    await gw.db
      .withSchema('read')
      .updateTable('decks')
      .set({ profile: JSON.stringify(profile) })
      .where('deck_id', '=', IN_USE.deck_id)
      .execute();
    expect((await list('?pageSize=200', alice)).items.map((d) => d.deckId)).not.toContain(IN_USE.deck_id);
    expect(await (await call('GET', `/api/v1/decks/${IN_USE.deck_id}`, alice)).json()).toMatchObject({ archived: true });
    const again = await call('POST', `/api/v1/decks/${IN_USE.deck_id}/archive`, alice);
    expect(again.status).toBe(409);
  });
});

describe('GET /api/v1/decks/{deckId}/download', () => {
  it('streams the table the deck service exported, as an attachment, and deletes the export', async () => {
    const deck = ALICE_DECKS[3]!;
    const uploads = gw.app.get(UploadStore);
    const service = await respondTo<{ deckId: string; format: string }>(gw.bus, ExportDeck, async (packet) => {
      const objectKey = `export-${packet.data.payload.deckId}-test`;
      await uploads.put(objectKey, new TextEncoder().encode('temperature,pressure,yield\r\n1,2,3\r\n'), { filename: 'x', contentType: 'text/csv' });
      return { response: { objectKey, fileName: 'line_03.csv', contentType: 'text/csv; charset=utf-8' } };
    });
    const response = await call('GET', `/api/v1/decks/${deck.deck_id}/download`, await as(ALICE));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="line_03.csv"');
    expect(await response.text()).toBe('temperature,pressure,yield\r\n1,2,3\r\n');
    expect(service.received.map((p) => p.data.payload)).toEqual([{ deckId: deck.deck_id, format: 'csv' }]);
    expect(await gw.uploads()).not.toContain(`export-${deck.deck_id}-test`);
    expect((await call('GET', `/api/v1/decks/${deck.deck_id}/download?format=xlsx`, await as(ALICE))).status).toBe(400);
    service.subscription.unsubscribe();
  });
});
