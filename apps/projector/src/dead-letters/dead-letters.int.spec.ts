import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import pg from 'pg';
import { CommandClient, EventPublisher } from '@vista/bus';
import { ReplayDeadLetter } from '@vista/contracts';
import { createTestBus, createTestDatabase, type Platform, startPlatform, type TestBus, type TestDatabase, testServers, waitFor } from '@vista/testing';
import { EventFactory } from '../domain/testing/event.factory.js';

/** A message whose consumer never manages to settle it (it crashes each time) reaches the dead letters, and replays after a fix. */
describe('dead letters after the maximum deliveries', () => {
  let bus: TestBus;
  let db: TestDatabase;
  let platform: Platform;
  let sql: pg.Pool;
  let client: CommandClient;

  beforeAll(async () => {
    bus = await createTestBus();
    db = await createTestDatabase('dead_letters');
    platform = await startPlatform({ databaseUrl: db.url, namespace: bus.namespace, services: ['projector'] });
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    // The projector verifies who sends its commands: the test sends as an admin (every command carries the token).
    client = new CommandClient(bus.namespace, [testServers.natsUrl], 'dead-letters-test', {
      serviceAuthorization: async () => `Bearer ${await platform.identity.token({ roles: ['admin'] })}`,
    });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await sql?.end();
    await platform?.stop();
    await bus?.cleanup();
    await db?.drop();
  });

  it('records the message with the server’s reason, and replays it on its subject for the consumer to take after a fix', async () => {
    await bus.jsm.consumers.add(bus.names.eventsStream, {
      durable_name: 'poison-stage',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: bus.names.allEvents,
      max_deliver: 2,
      ack_wait: nanos(500),
    });
    const factory = new EventFactory();
    const envelope = factory.lifecycle('DoeStarted', { kitId: 7, runId: randomUUID(), jobId: randomUUID(), attempt: 1 });
    await new EventPublisher(bus.js, bus.names).publishBatch([envelope]);

    // The handler "crashes" on each delivery: the message is never settled.
    const consumer = await bus.js.consumers.get(bus.names.eventsStream, 'poison-stage');
    for (let delivery = 1; delivery <= 2; delivery++) {
      const msg = await consumer.next({ expires: 5_000 });
      expect(msg?.info.deliveryCount).toBe(delivery);
    }
    // The consumer keeps pulling; the server, about to deliver a third time, gives up and says so.
    expect(await consumer.next({ expires: 2_000 })).toBeNull();

    const letter = await waitFor(
      async () => (await sql.query(`select * from read.dead_letters where consumer = 'poison-stage'`)).rows[0] as Record<string, unknown> | undefined,
      'the dead letter',
      20_000,
    );
    expect(letter).toMatchObject({ source: 'advisory', event_id: envelope.eventId, type: 'DoeStarted', deliveries: 2 });
    expect(letter.reason).toContain('gave up after 2 deliveries');

    // Fixed: replayed, the consumer takes it (a new message on the same subject) and acknowledges it.
    const admin = (await platform.identity.headers({ roles: ['admin'] })).authorization;
    const replayed = await client.execute(
      ReplayDeadLetter,
      { id: letter.id as string },
      { actor: 'admin-test', correlationId: randomUUID(), authorization: admin },
    );
    expect(replayed).toMatchObject({ id: letter.id, replays: 1 });
    const again = await consumer.next({ expires: 5_000 });
    expect(again).not.toBeNull();
    expect(JSON.parse(new TextDecoder().decode(again!.data)).eventId).toBe(envelope.eventId);
    again!.ack();
    const { rows } = await sql.query(`select replays, replayed_at from read.dead_letters where id = $1`, [letter.id]);
    expect(rows[0].replays).toBe(1);
    expect(rows[0].replayed_at).not.toBeNull();
  }, 60_000);

  it('answers a replay of an unknown dead letter with not found, and refuses a caller who is not an admin', async () => {
    const admin = (await platform.identity.headers({ roles: ['admin'] })).authorization;
    await expect(
      client.execute(ReplayDeadLetter, { id: randomUUID() }, { actor: 'admin-test', correlationId: randomUUID(), authorization: admin }),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    const user = (await platform.identity.headers({ roles: ['logic.general'] })).authorization;
    await expect(
      client.execute(ReplayDeadLetter, { id: randomUUID() }, { actor: 'user-test', correlationId: randomUUID(), authorization: user }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
