import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { ReplayDeadLetter } from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { fetchAs } from '@vista/testing';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';

let gw: GatewayHarness;
/** Admins only: these tests act as one. */
let fetch: typeof globalThis.fetch;
const ids = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  fetch = fetchAs(await gw.identity.headers({ roles: ['admin'] }));
  for (const [i, id] of ids.entries()) {
    await sql`
      insert into read.dead_letters (id, source, consumer, stream_seq, subject, event_id, type, reason, deliveries, body, dead_lettered_at)
      values (${id}, ${i === 0 ? 'consumer' : 'advisory'}, 'doe', ${10 + i}, 'vista.evt.deck.7.DeckCollectionCompleted', ${randomUUID()},
              'DeckCollectionCompleted', ${i === 0 ? 'payload invalid' : 'the server gave up after 5 deliveries'}, ${i === 0 ? null : 5},
              ${i === 2 ? null : '{}'}, ${new Date(Date.UTC(2026, 11, 1, 0, i))})`.execute(gw.db);
  }
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('GET /api/v1/admin/dead-letters', () => {
  it('lists dead letters newest first with their reason, paging by keyset', async () => {
    const first = await fetch(`${gw.url}/api/v1/admin/dead-letters?limit=2`);
    expect(first.status).toBe(200);
    const page = (await first.json()) as { items: { id: string; reason: string; replayable: boolean; source: string }[]; nextBefore: string };
    expect(page.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect(page.items[0]).toMatchObject({ source: 'advisory', reason: 'the server gave up after 5 deliveries', replayable: false });
    const second = (await (await fetch(`${gw.url}/api/v1/admin/dead-letters?limit=2&before=${encodeURIComponent(page.nextBefore)}`)).json()) as {
      items: { id: string }[];
      nextBefore: string | null;
    };
    expect(second.items.map((d) => d.id)).toEqual([ids[0]]);
    expect(second.nextBefore).toBeNull();
  });

  it('answers a malformed cursor with 400 problem+json', async () => {
    const res = await fetch(`${gw.url}/api/v1/admin/dead-letters?before=2026-13-45T99:99:99Z_${randomUUID()}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('POST /api/v1/admin/dead-letters/{id}/replay', () => {
  it('refuses a caller without the admin role', async () => {
    const res = await globalThis.fetch(`${gw.url}/api/v1/admin/dead-letters/${ids[0]}/replay`, {
      method: 'POST',
      headers: await gw.identity.headers({ roles: ['logic.general'] }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('asks the projector to replay it', async () => {
    const projector = await respondTo(gw.bus, ReplayDeadLetter, (p) => ({ response: { id: p.data.payload.id, subject: 's', sequence: 99, replays: 1 } }));
    try {
      const res = await fetch(`${gw.url}/api/v1/admin/dead-letters/${ids[0]}/replay`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: ids[0], subject: 's', sequence: 99, replays: 1 });
    } finally {
      projector.subscription.unsubscribe();
    }
  });

  it('answers an unknown one with 404, one without its message with 409 and a bad id with 400, as problem+json', async () => {
    const missing = await fetch(`${gw.url}/api/v1/admin/dead-letters/${randomUUID()}/replay`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const gone = await fetch(`${gw.url}/api/v1/admin/dead-letters/${ids[2]}/replay`, { method: 'POST' });
    expect(gone.status).toBe(409);
    const bad = await fetch(`${gw.url}/api/v1/admin/dead-letters/not-a-uuid/replay`, { method: 'POST' });
    expect(bad.status).toBe(400);
  });
});
