import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { CommandClient } from '@vista/bus';
import { Describe__Name__, type Describe__Name__V1 } from '@vista/contracts';
import { createServiceApp, migrateService } from '@vista/service-host';
import { type TestBus, type TestDatabase, createTestBus, createTestDatabase, createTestIdentity, testServers, waitFor } from '@vista/testing';
import { __Name__Module } from '../../app.module.js';
import { __NAME___SCHEMA, load__Name__Config } from '../../config/__name__.config.js';
import { __camel__Migrations } from '../../migrations/__name__.migrations.js';

// Real NATS and Postgres on a shared machine: a bound on waiting, not a performance claim.
jest.setTimeout(60_000);

describe('the __name__ service (real Postgres and NATS)', () => {
  let database: TestDatabase;
  let bus: TestBus;
  let app: INestApplication;
  let client: CommandClient;
  let url: string;
  /** The service's settings with the keys it trusts, and a user's token it verifies on every command. */
  let env: Record<string, string> = {};
  let authorization = '';
  const config = () => load__Name__Config({ ...env, DATABASE_URL: database.url, NATS_URL: testServers.natsUrl, VISTA_BUS_NAMESPACE: bus.namespace });

  beforeAll(async () => {
    const identity = await createTestIdentity();
    env = { ...identity.env, LOG_LEVEL: 'silent', HTTP_PORT: '0' };
    authorization = identity.header(await identity.token()).authorization;
    database = await createTestDatabase('__schema__');
    bus = await createTestBus();
    const settings = config();
    await migrateService({ name: '__name__', schema: __NAME___SCHEMA, migrations: __camel__Migrations(__NAME___SCHEMA), config: settings });
    app = await createServiceApp({ name: '__name__', module: __Name__Module.forRoot(settings), config: settings, appOptions: { logger: false } });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    client = new CommandClient(bus.namespace, [testServers.natsUrl], 'test-__name__');
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await bus?.cleanup();
    await database?.drop();
  });

  const call = () => ({ actor: 'test', correlationId: randomUUID(), authorization });

  const describe__Name__ = (payload: Describe__Name__V1 = {}) => client.execute(Describe__Name__, payload, call());

  it('migrates its own schema with an event log', async () => {
    // The command server's subscription reaches NATS shortly after start-up: ask until it answers.
    const answer = await waitFor(() => describe__Name__({ withMigrations: true }), 'the __name__ command server');
    expect(answer).toEqual({ service: '__name__', schema: '__schema__', httpPort: 0, events: 0, migrations: Object.keys(__camel__Migrations(__NAME___SCHEMA)).sort() });
  });

  it('is ready once its database, bus and relay answer', async () => {
    const response = await waitFor(async () => {
      const r = await fetch(`${url}/health/ready`);
      return r.status === 200 ? r : undefined;
    }, '__name__ /health/ready');
    expect(response.status).toBe(200);
  });

  it('refuses a command with a malformed field, naming it', async () => {
    await waitFor(() => describe__Name__(), 'the __name__ command server');
    const answer = client.execute(Describe__Name__, { withMigrations: 'yes' } as never, call());
    await expect(answer).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('withMigrations') });
  });
});
