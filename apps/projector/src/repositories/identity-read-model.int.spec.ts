import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { EventName, PayloadOf } from '@vista/contracts';
import { createDatabase, migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { createTestDatabase, type TestDatabase } from '@vista/testing';
import { InMemoryReadModel } from '../domain/in-memory-read-model.js';
import { delivered, EventFactory } from '../domain/testing/event.factory.js';
import { ReadModelRepository } from './read-model.repository.js';
import { readSnapshot } from './read-model.snapshot.js';

describe('the identity read model', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  let schemaCount = 0;

  const freshRepository = async (): Promise<ReadModelRepository> => {
    const schema = `read_identity_${++schemaCount}`;
    await migrateSchema(db, schema, readModelMigrations(schema));
    return new ReadModelRepository(db, schema);
  };

  const admin = randomUUID();
  const ada = randomUUID();
  const bob = randomUUID();
  const approved = randomUUID();
  const rejected = randomUUID();
  const pending = randomUUID();
  const registryModel = randomUUID();
  const setupModel = randomUUID();
  const accessRequest = randomUUID();

  /** Users registered, updated, given roles by request, one deactivated; a model set up, granted and revoked. */
  const story = () => {
    const f = new EventFactory();
    const e = <N extends EventName>(type: N, data: PayloadOf<N>) => {
      f.tick();
      return f.envelope(type, data);
    };
    return delivered([
      e('UserRegistered', { userId: admin, username: 'admin', name: 'Admin', source: 'bootstrap' }),
      e('RoleGranted', { userId: admin, role: 'admin', grantedBy: 'system:bootstrap' }),
      e('UserRegistered', { userId: ada, username: 'ada', name: 'Ada', email: 'ada@example.com', source: 'sso', ssoSubject: 'sub-ada' }),
      e('SessionStarted', { sessionId: randomUUID(), userId: ada, method: 'sso' }),
      e('UserRegistered', { userId: bob, username: 'bob', name: 'Bob', source: 'admin' }),
      e('RoleRequested', { requestId: approved, userId: ada, role: 'logic.model-setup', reason: 'I run the kits' }),
      e('RoleRequested', { requestId: rejected, userId: bob, role: 'admin', reason: 'why not' }),
      e('RoleRequested', { requestId: pending, userId: bob, role: 'dram.general', reason: 'later' }),
      e('RoleRequestDecided', { requestId: approved, userId: ada, role: 'logic.model-setup', decision: 'approved', reason: 'ok', decidedBy: admin }),
      e('RoleGranted', { userId: ada, role: 'logic.model-setup', requestId: approved, grantedBy: admin }),
      e('RoleRequestDecided', { requestId: rejected, userId: bob, role: 'admin', decision: 'rejected', reason: 'no', decidedBy: admin }),
      e('UserUpdated', { userId: ada, name: 'Ada Lovelace' }),
      e('ModelSetUp', {
        setupModelId: setupModel,
        sourceModelId: registryModel,
        registryModelId: registryModel,
        ownerId: ada,
        name: 'yield model',
        attributes: { line: 3 },
        lineage: [setupModel, registryModel],
      }),
      e('ModelAccessRequested', { requestId: accessRequest, setupModelId: setupModel, userId: bob, reason: 'predictions' }),
      e('ModelAccessDecided', { requestId: accessRequest, setupModelId: setupModel, userId: bob, decision: 'approved', reason: 'ok', decidedBy: ada }),
      e('ModelAccessGranted', { setupModelId: setupModel, userId: bob, requestId: accessRequest, grantedBy: ada }),
      e('ModelAccessGranted', { setupModelId: setupModel, userId: admin, requestId: randomUUID(), grantedBy: ada }),
      e('ModelAccessRevoked', { setupModelId: setupModel, userId: bob, reason: 'left the team', revokedBy: ada }),
      e('RoleRevoked', { userId: ada, role: 'logic.model-setup', reason: 'moved on', revokedBy: admin }),
      e('UserDeactivated', { userId: bob, reason: 'left' }),
      e('SessionEnded', { sessionId: randomUUID(), userId: bob, reason: 'user-deactivated' }),
      e('UserUpdated', { userId: ada, email: null }),
    ]);
  };

  beforeAll(async () => {
    database = await createTestDatabase('projector_identity');
    db = createDatabase({ url: database.url, poolMax: 4 });
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('folds users, role requests, set-up models, model access and deactivated users as the in-memory fold does', async () => {
    const events = story();
    const sut = await freshRepository();
    const reference = new InMemoryReadModel();
    for (let i = 0; i < events.length; i += 4) {
      await sut.apply(events.slice(i, i + 4));
      reference.apply(events.slice(i, i + 4));
    }

    const snapshot = await readSnapshot(db, sut.schema);
    expect(snapshot).toEqual(reference.snapshot());
    const user = (id: string) => snapshot.users.find((u) => u.user_id === id);
    expect(user(ada)).toMatchObject({
      username: 'ada',
      source: 'sso',
      sso_subject: 'sub-ada',
      profile: { name: { value: 'Ada Lovelace', position: 12 }, email: { value: null, position: 22 } },
      roles: { 'logic.model-setup': { held: false, by: admin, reason: 'moved on' } },
      deactivation: null,
      registered_position: 3,
      position: events.length,
    });
    expect(user(admin)).toMatchObject({ roles: { admin: { held: true, by: 'system:bootstrap' } }, registered_position: 1 });
    expect(user(bob)).toMatchObject({ profile: { name: { value: 'Bob' }, email: { value: null } }, roles: {}, deactivation: { reason: 'left', position: 20 } });
    expect(snapshot.deactivated_users.map((d) => d.user_id)).toEqual([bob]);
    expect(snapshot.deactivated_users[0]!.deactivated_at).toBe(user(bob)!.deactivation!.at);

    const request = (id: string) => snapshot.role_requests.find((r) => r.request_id === id);
    expect(request(approved)).toMatchObject({
      user_id: ada,
      role: 'logic.model-setup',
      reason: 'I run the kits',
      status: 'approved',
      decided_by: admin,
      decision_reason: 'ok',
    });
    expect(request(rejected)).toMatchObject({ user_id: bob, status: 'rejected', decision_reason: 'no' });
    expect(request(pending)).toMatchObject({ user_id: bob, status: 'pending', decided_by: null, decided_at: null });

    expect(snapshot.setup_models).toEqual([
      expect.objectContaining({
        setup_model_id: setupModel,
        owner_id: ada,
        registry_model_id: registryModel,
        name: 'yield model',
        lineage: [setupModel, registryModel],
      }),
    ]);
    const access = (userId: string) => snapshot.model_access.find((a) => a.user_id === userId);
    expect(access(bob)).toMatchObject({
      status: 'revoked',
      granted: { requestId: accessRequest, grantedBy: ada },
      revoked: { reason: 'left the team', revokedBy: ada },
    });
    expect(access(admin)).toMatchObject({ status: 'granted', revoked: null });
  });

  it('changes nothing when the events are delivered again', async () => {
    const events = story();
    const sut = await freshRepository();
    await sut.apply(events);
    const before = await readSnapshot(db, sut.schema);
    const versions = async () =>
      Promise.all(
        ['users', 'role_requests', 'setup_models', 'model_access', 'deactivated_users'].map(
          async (table) => (await sql`select xmin::text as v from ${sql.id(sut.schema)}.${sql.id(table)} order by 1`.execute(db)).rows,
        ),
      );
    const rowVersions = await versions();

    const again = await sut.apply(events);
    // A copy re-published later (new position, same event id) is recognised as applied.
    const copies = await sut.apply(events.map((e, i) => ({ envelope: e.envelope, position: events.length + 1 + i })));

    expect([again.fresh, copies.fresh]).toEqual([0, 0]);
    expect(await readSnapshot(db, sut.schema)).toEqual(before);
    expect(await versions()).toEqual(rowVersions);
  });

  it('gives the same tables when batches come out of order and some come twice', async () => {
    const events = story();
    const inOrder = await freshRepository();
    await inOrder.apply(events);

    const shuffled = await freshRepository();
    const batches: (typeof events)[] = [];
    for (let i = 0; i < events.length; i += 3) batches.push(events.slice(i, i + 3));
    batches.reverse();
    for (const batch of [...batches, batches[2]!, batches[0]!]) await shuffled.apply(batch);

    expect(await readSnapshot(db, shuffled.schema)).toEqual(await readSnapshot(db, inOrder.schema));
  });

  it("keeps each role's and each field's newest state when an older event comes after a newer one of the same user", async () => {
    const f = new EventFactory();
    const at = (type: EventName, data: object, position: number) => ({ envelope: f.envelope(type, data as never), position });
    const userId = randomUUID();
    const registered = at('UserRegistered', { userId, username: 'cy', name: 'Cy', source: 'admin' }, 1);
    const granted = at('RoleGranted', { userId, role: 'logic.general', grantedBy: admin }, 2);
    const renamed = at('UserUpdated', { userId, name: 'Cyril' }, 3);
    const revoked = at('RoleRevoked', { userId, role: 'logic.general', reason: 'moved on', revokedBy: admin }, 4);
    const deactivated = at('UserDeactivated', { userId }, 5);

    const inOrder = await freshRepository();
    await inOrder.apply([registered, granted, renamed, revoked, deactivated]);
    const late = await freshRepository();
    const reference = new InMemoryReadModel();
    for (const batch of [[registered, granted], [deactivated], [revoked], [renamed]]) {
      await late.apply(batch);
      reference.apply(batch);
    }

    const snapshot = await readSnapshot(db, late.schema);
    expect(snapshot).toEqual(await readSnapshot(db, inOrder.schema));
    expect(snapshot).toEqual(reference.snapshot());
    expect(snapshot.users[0]).toMatchObject({ profile: { name: { value: 'Cyril' } }, roles: { 'logic.general': { held: false } }, position: 5 });
  });
});
