import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';

/**
 * Object-level checks: user A's token against every id-bearing route for user B's objects gets 404
 * (or 403 for a run on B's kit), and nothing is sent to a service; B and an admin see them.
 */
const ALICE = randomUUID();
const BOB = randomUUID();
const BOB_KIT = 61;
const ALICE_KIT = 62;
const BOB_RUN = randomUUID();
const ALICE_RUN = randomUUID();
const BOB_JOB = randomUUID();
const BOB_DECK = randomUUID();

let gw: GatewayHarness;
const as = async (sub: string, roles: string[] = ['logic.general']) => gw.identity.headers({ sub, roles: roles as never });
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  await insertRows(gw.db, 'kits', [
    F.kit({ kit_id: BOB_KIT, last_run_id: BOB_RUN, owner: BOB, position: 10 }),
    F.kit({ kit_id: ALICE_KIT, last_run_id: ALICE_RUN, owner: ALICE, position: 11 }),
  ]);
  await insertRows(gw.db, 'runs', [
    F.run({ run_id: BOB_RUN, kit_id: BOB_KIT, started_by: BOB, position: 10 }),
    F.run({ run_id: ALICE_RUN, kit_id: ALICE_KIT, started_by: ALICE, position: 11 }),
  ]);
  await insertRows(gw.db, 'kit_state', [
    F.kitState({ kit_id: BOB_KIT, run_id: BOB_RUN, job_id: BOB_JOB, position: 12, metadata: JSON.stringify({ actor: 'service:deck' }) }),
  ]);
  await insertRows(gw.db, 'deck_collection', [F.deckCollection({ job_id: BOB_JOB, run_id: BOB_RUN, kit_id: BOB_KIT, position: 12 })]);
  await insertRows(gw.db, 'state_history', [
    F.history({ kit_id: BOB_KIT, run_id: BOB_RUN, job_id: BOB_JOB, position: 12, status: 'RUNNING', actor: 'service:deck' }),
  ]);
  await insertRows(gw.db, 'decks', [F.deck({ deck_id: BOB_DECK, uploaded_by: BOB, position: 5 })]);
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

const BOBS = [
  ['GET', `/api/v1/kits/${BOB_KIT}/state`],
  ['GET', `/api/v1/kits/${BOB_KIT}/history`],
  ['GET', `/api/v1/runs/${BOB_RUN}`],
  ['GET', `/api/v1/runs/${BOB_RUN}/tasks`],
  ['GET', `/api/v1/runs/${BOB_RUN}/details`],
  ['GET', `/api/v1/jobs/${BOB_JOB}`],
  ['GET', `/api/v1/jobs/${BOB_JOB}/logs`],
  ['GET', `/api/v1/decks/${BOB_DECK}`],
] as const;

describe("another user's objects", () => {
  it.each(BOBS)('%s %s answers 404 to another user, as for an id that does not exist', async (method, path) => {
    const response = await call(method, path, await as(ALICE));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/does not exist/);
  });

  it.each(BOBS)('%s %s answers its owner and an admin', async (method, path) => {
    expect((await call(method, path, await as(BOB))).status).toBe(200);
    expect((await call(method, path, await as(ALICE, ['admin']))).status).toBe(200);
  });

  it("refuses to stop another user's run or start one on another user's kit or deck, and sends no command", async () => {
    const deck = await respondTo(gw.bus, 'StartKitRun', () => ({ response: { kitId: 0, runId: randomUUID(), jobId: randomUUID() } }));
    const stop = await call('POST', `/api/v1/runs/${BOB_RUN}/control`, await as(ALICE), { action: 'stop' });
    expect(stop.status).toBe(404);
    const onBobsKit = await call('POST', `/api/v1/kits/${BOB_KIT}/runs`, await as(ALICE), { sourcePath: 'a.csv' });
    expect(onBobsKit.status).toBe(403);
    expect(((await onBobsKit.json()) as { detail: string }).detail).toBe(`kit ${BOB_KIT} belongs to another user`);
    const withBobsDeck = await call('POST', `/api/v1/kits/${ALICE_KIT}/runs`, await as(ALICE), { deckId: BOB_DECK });
    expect(withBobsDeck.status).toBe(404);
    await gw.bus.nc.flush();
    expect(deck.received).toEqual([]);
    deck.subscription.unsubscribe();
  });

  it("lists only the caller's own kits; an admin lists all", async () => {
    const kitsOf = async (headers: Record<string, string>) =>
      ((await (await call('GET', '/api/v1/kits', headers)).json()) as { items: { kitId: number; owner: string }[]; total: number }).items.map((k) => [
        k.kitId,
        k.owner,
      ]);
    expect(await kitsOf(await as(ALICE))).toEqual([[ALICE_KIT, ALICE]]);
    expect(await kitsOf(await as(BOB))).toEqual([[BOB_KIT, BOB]]);
    expect((await kitsOf(await as(ALICE, ['admin']))).map(([kitId]) => kitId).sort()).toEqual([BOB_KIT, ALICE_KIT].sort());
  });

  it('shows who did what: the run and deck name their user, each history entry its actor', async () => {
    const bob = await as(BOB);
    expect(await (await call('GET', `/api/v1/runs/${BOB_RUN}`, bob)).json()).toMatchObject({ startedBy: BOB });
    expect(await (await call('GET', `/api/v1/decks/${BOB_DECK}`, bob)).json()).toMatchObject({ uploadedBy: BOB });
    const history = (await (await call('GET', `/api/v1/kits/${BOB_KIT}/history`, bob)).json()) as { items: { actor: string | null }[] };
    expect(history.items.map((h) => h.actor)).toEqual(['service:deck']);
  });
});
