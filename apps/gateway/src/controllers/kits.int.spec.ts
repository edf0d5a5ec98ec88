import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArchiveKit, CreateKit, StartKitRun, UpdateKit } from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';
import { withDefaults } from './kits.controller.js';

/**
 * Kits as named tasks: create, read, update, archive, the list with its filters, search, sorts and
 * keyset paging, a kit's runs, and who may see and change what.
 */
const ALICE = randomUUID();
const BOB = randomUUID();
const PROJECT = randomUUID();

let gw: GatewayHarness;
const as = async (sub: string, roles: string[] = ['logic.general']) => gw.identity.headers({ sub, roles: roles as never });
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface Kit {
  kitId: number;
  name: string | null;
  status: string;
  archived: boolean;
  owner: string;
  projectId: string | null;
  defaultParams: Record<string, unknown> | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
  freshness: { position: number };
}
const json = async <T>(path: string, headers: Record<string, string>): Promise<T> => {
  const response = await call('GET', path, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};
const errorsOf = async (path: string, headers: Record<string, string>) => {
  const response = await call('GET', path, headers);
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return ((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
};

const definition = (name: string, at: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    name,
    description: `${name} description`,
    defaultParams: { doe: { points: 40 } },
    projectId: null,
    archived: false,
    archivedAt: null,
    updatedAt: at,
    updatedBy: ALICE,
    position: 500,
    ...extra,
  });

/** Alice's named kits 201..210, updated a minute apart from 09:00 on 1 March; odd ones in the project. */
const aliceKit = (kitId: number, extra: Record<string, unknown> = {}) => {
  const at = new Date(Date.UTC(2026, 2, 1, 9, kitId - 200));
  return F.kit({
    kit_id: kitId,
    last_run_id: null as unknown as string,
    status: kitId % 2 === 0 ? 'NEW' : 'SUCCESS',
    current_task: null,
    current_order: null,
    runs: 0,
    owner: ALICE,
    created_at: at,
    updated_at: at,
    definition: definition(`furnace ${kitId}`, at.toISOString(), { projectId: kitId % 2 === 1 ? PROJECT : null }),
    position: kitId,
    ...extra,
  });
};
const ALICE_KITS = Array.from({ length: 10 }, (_, i) => aliceKit(201 + i));
const ARCHIVED_KIT = aliceKit(220, {
  definition: definition('old furnace', '2026-03-01T10:00:00.000Z', { archived: true, archivedAt: '2026-03-01T10:00:00.000Z' }),
});
const BOB_KIT = F.kit({
  kit_id: 300,
  last_run_id: null as unknown as string,
  status: 'NEW',
  owner: BOB,
  definition: definition('bob secret', '2026-03-01T09:30:00.000Z'),
  position: 300,
});
const RUN_KIT = 250;
const RUNS = Array.from({ length: 5 }, (_, i) =>
  F.run({
    run_id: randomUUID(),
    kit_id: RUN_KIT,
    started_by: ALICE,
    started_at: new Date(Date.UTC(2026, 2, 2, 8, i)),
    status: i === 4 ? 'RUNNING' : 'SUCCESS',
    position: 600 + i,
  }),
);

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  await insertRows(gw.db, 'kits', [
    ...ALICE_KITS,
    ARCHIVED_KIT,
    BOB_KIT,
    F.kit({ kit_id: RUN_KIT, last_run_id: RUNS[4]!.run_id, owner: ALICE, runs: 5, updated_at: new Date('2026-02-01T00:00:00Z'), position: 610 }),
  ]);
  await insertRows(gw.db, 'runs', RUNS);
  // The first run's deck job was retried once: attempts 1 and 2.
  await insertRows(gw.db, 'deck_collection', [
    F.deckCollection({ job_id: randomUUID(), run_id: RUNS[0]!.run_id, kit_id: RUN_KIT, attempt: 1, status: 'FAILED', position: 601 }),
    F.deckCollection({
      job_id: randomUUID(),
      run_id: RUNS[0]!.run_id,
      kit_id: RUN_KIT,
      attempt: 2,
      status: 'SUCCESS',
      finished_at: new Date('2026-03-02T08:00:30Z'),
      position: 602,
    }),
  ]);
  await gw.db.withSchema('read').updateTable('projector_status').set({ position: 777 }).where('projector', '=', 'projector').execute();
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('POST /api/v1/kits', () => {
  it('creates a named kit through the deck service as the caller and answers it with its Location', async () => {
    const service = await respondTo<Record<string, unknown>>(gw.bus, CreateKit, (packet) => ({
      response: { kitId: 901, description: null, projectId: null, archived: false, defaultParams: {}, ...packet.data.payload },
    }));
    const body = { name: 'March furnace', description: 'plant A', defaultParams: { doe: { points: 30 } }, projectId: PROJECT };
    const response = await call('POST', '/api/v1/kits', await as(ALICE), body);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/kits/901');
    expect(await response.json()).toMatchObject({ kitId: 901, name: 'March furnace', status: 'NEW', owner: ALICE, archived: false, projectId: PROJECT });
    expect(service.received.map((p) => [p.data.payload, p.data.actor])).toEqual([[body, ALICE]]);
    service.subscription.unsubscribe();
  });

  it('refuses a kit without a name or with default parameters a run would refuse, naming the field', async () => {
    const alice = await as(ALICE);
    const problem = async (body: unknown) => {
      const response = await call('POST', '/api/v1/kits', alice, body);
      expect(response.status).toBe(400);
      return [...new Set(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path))];
    };
    expect(await problem({ description: 'x' })).toEqual(['name']);
    expect(await problem({ name: 'k', defaultParams: { doe: { points: 1 } } })).toEqual(['defaultParams.doe.points']);
    expect(await problem({ name: 'k', projectId: 'p1' })).toEqual(['projectId']);
  });
});

describe('GET /api/v1/kits', () => {
  it("lists the caller's kits, newest change first, without archived ones, saying how fresh the list is", async () => {
    const response = await call('GET', '/api/v1/kits?pageSize=100', await as(ALICE));
    expect(response.headers.get('vista-position')).toBe('777');
    const page = (await response.json()) as Page<Kit>;
    expect(page.items.map((k) => k.kitId)).toEqual([210, 209, 208, 207, 206, 205, 204, 203, 202, 201, RUN_KIT]);
    expect(page.total).toBe(11);
    expect(page.freshness.position).toBe(777);
    expect(page.items[0]).toMatchObject({ name: 'furnace 210', owner: ALICE, archived: false, defaultParams: { doe: { points: 40 } } });
  });

  it('filters by status, name, search, project, time updated and archived state', async () => {
    const alice = await as(ALICE);
    const ids = async (query: string) => (await json<Page<Kit>>(`/api/v1/kits${query}`, alice)).items.map((k) => k.kitId);
    expect(await ids('?status=NEW')).toEqual([210, 208, 206, 204, 202]);
    expect(await ids('?name=FURNACE%2020')).toEqual([209, 208, 207, 206, 205, 204, 203, 202, 201]);
    expect(await ids('?q=209')).toEqual([209]);
    expect(await ids(`?projectId=${PROJECT}&status=SUCCESS`)).toEqual([209, 207, 205, 203, 201]);
    expect(await ids(`?updatedFrom=${encodeURIComponent('2026-03-01T09:03:00Z')}&updatedTo=${encodeURIComponent('2026-03-01T09:05:00Z')}`)).toEqual([
      205, 204, 203,
    ]);
    expect(await ids('?archived=only')).toEqual([220]);
    expect(await ids('?sort=name&pageSize=2')).toEqual([RUN_KIT, 201]);
  });

  it('pages to the end by cursor with no kit twice or missing while kits are being added', async () => {
    const alice = await as(ALICE);
    const before = (await json<Page<Kit>>('/api/v1/kits?pageSize=200', alice)).items.map((k) => k.kitId);
    const seen: number[] = [];
    let cursor: string | null = null;
    let next = 400;
    do {
      const page: Page<Kit> = await json<Page<Kit>>(`/api/v1/kits?pageSize=3${cursor ? `&cursor=${cursor}` : ''}`, alice);
      seen.push(...page.items.map((k) => k.kitId));
      cursor = page.nextCursor;
      await insertRows(gw.db, 'kits', [aliceKit(next++, { updated_at: new Date(), created_at: new Date(), definition: null })]);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before);
    await gw.db.withSchema('read').deleteFrom('kits').where('kit_id', '>=', 400).where('kit_id', '<', 500).execute();
  });

  it('refuses bad parameters with a problem naming each', async () => {
    const alice = await as(ALICE);
    expect(await errorsOf('/api/v1/kits?colour=red', alice)).toEqual(['colour']);
    expect(await errorsOf('/api/v1/kits?updatedFrom=March', alice)).toEqual(['updatedFrom']);
    expect(await errorsOf('/api/v1/kits?updatedFrom=2026-03-02T00:00:00Z&updatedTo=2026-03-01T00:00:00Z', alice)).toEqual(['updatedTo']);
    expect(await errorsOf('/api/v1/kits?pageSize=0', alice)).toEqual(['pageSize']);
    expect(await errorsOf('/api/v1/kits?pageSize=10000', alice)).toEqual(['pageSize']);
    expect(await errorsOf('/api/v1/kits?status=DONE', alice)).toEqual(['status']);
    expect(await errorsOf('/api/v1/kits?sort=owner', alice)).toEqual(['sort']);
    expect(await errorsOf('/api/v1/kits?cursor=abc', alice)).toEqual(['cursor']);
  });

  it("keeps users to their own kits; an admin lists and filters anyone's", async () => {
    expect((await json<Page<Kit>>('/api/v1/kits', await as(BOB))).items.map((k) => k.kitId)).toEqual([300]);
    expect((await call('GET', `/api/v1/kits?owner=${BOB}`, await as(ALICE))).status).toBe(403);
    const admin = await as(randomUUID(), ['admin']);
    expect((await json<Page<Kit>>(`/api/v1/kits?owner=${BOB}`, admin)).items.map((k) => k.kitId)).toEqual([300]);
    expect((await json<Page<Kit>>('/api/v1/kits?q=bob', admin)).items.map((k) => k.kitId)).toEqual([300]);
  });
});

describe('a kit by id', () => {
  it('reads an archived kit by id, with archived: true; another user gets 404, an admin the kit', async () => {
    expect(await json(`/api/v1/kits/220`, await as(ALICE))).toMatchObject({ kitId: 220, name: 'old furnace', archived: true });
    expect((await call('GET', '/api/v1/kits/220', await as(BOB))).status).toBe(404);
    expect((await call('GET', '/api/v1/kits/220', await as(randomUUID(), ['admin']))).status).toBe(200);
    expect((await call('GET', '/api/v1/kits/999', await as(ALICE))).status).toBe(404);
  });

  it("changes and archives a kit through the deck service; another user's kit is 404 and no command is sent", async () => {
    const update = await respondTo<Record<string, unknown>>(gw.bus, UpdateKit, (packet) => ({
      response: { kitId: 201, name: 'furnace 201', description: null, defaultParams: {}, projectId: null, archived: false, ...packet.data.payload },
    }));
    const archive = await respondTo(gw.bus, ArchiveKit, () => ({
      response: { kitId: 201, name: 'renamed', description: null, defaultParams: {}, projectId: null, archived: true },
    }));
    expect((await call('PATCH', '/api/v1/kits/201', await as(BOB), { name: 'mine' })).status).toBe(404);
    expect((await call('POST', '/api/v1/kits/201/archive', await as(BOB))).status).toBe(404);
    expect(update.received).toHaveLength(0);
    expect(archive.received).toHaveLength(0);

    const bad = await call('PATCH', '/api/v1/kits/201', await as(ALICE), { name: ' ', owner: BOB });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['name', 'owner']);

    const changed = await call('PATCH', '/api/v1/kits/201', await as(ALICE), { name: 'renamed', projectId: null });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ kitId: 201, name: 'renamed', projectId: null });
    expect(update.received.map((p) => [p.data.payload, p.data.actor])).toEqual([[{ kitId: 201, name: 'renamed', projectId: null }, ALICE]]);

    const archived = await call('POST', '/api/v1/kits/201/archive', await as(randomUUID(), ['admin']));
    expect(archived.status).toBe(200);
    expect(await archived.json()).toMatchObject({ kitId: 201, archived: true });
    expect(archive.received).toHaveLength(1);
    update.subscription.unsubscribe();
    archive.subscription.unsubscribe();
  });

  it("starts a run with the kit's default parameters under the run's own, and none on an archived kit", async () => {
    const start = await respondTo(gw.bus, StartKitRun, () => ({ response: { kitId: 202, runId: randomUUID(), jobId: randomUUID() } }));
    const response = await call('POST', '/api/v1/kits/202/runs', await as(ALICE), { sourcePath: 'a.csv', params: { doe: { seed: 7 }, priority: 5 } });
    expect(response.status).toBe(202);
    expect(start.received[0]!.data.payload).toMatchObject({ kitId: 202, params: { doe: { points: 40, seed: 7 }, priority: 5 } });
    const archived = await call('POST', '/api/v1/kits/220/runs', await as(ALICE), { sourcePath: 'a.csv' });
    expect(archived.status).toBe(409);
    expect(start.received).toHaveLength(1);
    start.subscription.unsubscribe();
    expect(withDefaults({ doe: { points: 40 }, ml: { scaling: 'robust' } }, { doe: { points: 10 } })).toEqual({
      doe: { points: 10 },
      ml: { scaling: 'robust' },
    });
  });
});

describe('GET /api/v1/kits/{kitId}/runs', () => {
  interface KitRun {
    runId: string;
    status: string;
    attempts: number;
    jobAttempts: number;
    startedAt: string;
    finishedAt: string | null;
  }

  it("pages a kit's runs newest first, each with its status, attempts and times", async () => {
    const alice = await as(ALICE);
    const first = await json<Page<KitRun>>(`/api/v1/kits/${RUN_KIT}/runs?pageSize=2`, alice);
    expect(first.items.map((r) => [r.runId, r.status])).toEqual([
      [RUNS[4]!.run_id, 'RUNNING'],
      [RUNS[3]!.run_id, 'SUCCESS'],
    ]);
    const second = await json<Page<KitRun>>(`/api/v1/kits/${RUN_KIT}/runs?pageSize=2&cursor=${first.nextCursor}`, alice);
    const third = await json<Page<KitRun>>(`/api/v1/kits/${RUN_KIT}/runs?pageSize=2&cursor=${second.nextCursor}`, alice);
    expect(third.nextCursor).toBeNull();
    expect([...second.items, ...third.items].map((r) => r.runId)).toEqual([RUNS[2]!.run_id, RUNS[1]!.run_id, RUNS[0]!.run_id]);
    expect(third.items[0]).toMatchObject({ attempts: 2, jobAttempts: 2, startedAt: '2026-03-02T08:00:00.000Z', finishedAt: '2026-03-02T08:00:30.000Z' });
    expect(first.items[0]).toMatchObject({ attempts: 0, finishedAt: null });
  });

  it('answers 404 to another user and for an unknown kit, 400 for a bad sort', async () => {
    expect((await call('GET', `/api/v1/kits/${RUN_KIT}/runs`, await as(BOB))).status).toBe(404);
    expect((await call('GET', '/api/v1/kits/999/runs', await as(ALICE))).status).toBe(404);
    expect(await errorsOf(`/api/v1/kits/${RUN_KIT}/runs?sort=name`, await as(ALICE))).toEqual(['sort']);
  });
});
