import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { waitFor } from '@vista/testing';
import { sql } from 'kysely';
import { type GatewayHarness, startGateway } from '../testing/gateway.harness.js';

let gw: GatewayHarness;

beforeAll(async () => {
  gw = await startGateway({
    prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined),
    env: { DEACTIVATED_USERS_REFRESH_MS: '100' },
  });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('a deactivated user', () => {
  it('is refused with a still unexpired token once read.deactivated_users lists them; others are not', async () => {
    const gone = randomUUID();
    const staying = randomUUID();
    const goneToken = await gw.identity.headers({ sub: gone, roles: ['logic.general'] });
    const stayingToken = await gw.identity.headers({ sub: staying, roles: ['logic.general'] });
    const kits = (headers: Record<string, string>) => fetch(`${gw.url}/api/v1/kits`, { headers });
    // Nobody deactivated yet.
    expect((await kits(goneToken)).status).toBe(200);

    // As the projector folds their `UserDeactivated`.
    await sql`insert into read.deactivated_users (user_id, position) values (${gone}, 1)`.execute(gw.db);

    const refused = await waitFor(async () => {
      const response = await kits(goneToken);
      return response.status === 401 ? response : undefined;
    }, 'the deactivated user refused');
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/deactivated/);
    expect((await kits(stayingToken)).status).toBe(200);
  });
});
