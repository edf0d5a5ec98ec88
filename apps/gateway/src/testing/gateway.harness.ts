import type { NestExpressApplication } from '@nestjs/platform-express';
import { Objm } from '@nats-io/obj';
import type { Msg, Subscription } from '@nats-io/transport-node';
import type { CommandDefinition } from '@vista/contracts';
import { createDatabase } from '@vista/db';
import { type TestBus, type TestDatabase, type TestIdentity, createTestBus, createTestDatabase, createTestIdentity } from '@vista/testing';
import type { Kysely } from 'kysely';
import { createGatewayApp } from '../app.factory.js';
import { type GatewayConfig, loadGatewayConfig } from '../config/gateway.config.js';

export interface GatewayHarness {
  /** Base URL of the gateway, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly config: GatewayConfig;
  readonly app: NestExpressApplication;
  /** The test database (the gateway's own pool is separate). */
  readonly db: Kysely<any>;
  readonly bus: TestBus;
  /** The key the gateway trusts: `gw.identity.headers({ roles: ['admin'] })`. */
  readonly identity: TestIdentity;
  /** Names of the objects in the uploads bucket; empty when the bucket does not exist. */
  uploads(): Promise<string[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Creates what the gateway reads (the read model's tables). */
  readonly prepareDatabase: (db: Kysely<any>) => Promise<void>;
  /** Variables on top of the test database, bus and a silent log. */
  readonly env?: Record<string, string>;
  /** The signing key the gateway trusts (default: a fresh one). */
  readonly identity?: TestIdentity;
}

/** Boots the gateway in-process on a free port against a database and bus namespace of its own. */
export async function startGateway(options: HarnessOptions): Promise<GatewayHarness> {
  const testDb: TestDatabase = await createTestDatabase('gateway');
  const bus = await createTestBus();
  const identity = options.identity ?? (await createTestIdentity());
  const db = createDatabase<any>({ url: testDb.url, applicationName: 'gateway-test' });
  let app: NestExpressApplication | undefined;
  try {
    await options.prepareDatabase(db);
    const config = loadGatewayConfig({
      DATABASE_URL: testDb.url,
      NATS_URL: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
      VISTA_BUS_NAMESPACE: bus.namespace,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      ...identity.env,
      ...options.env,
    });
    app = await createGatewayApp(config);
    await app.listen(config.HTTP_PORT, config.HTTP_HOST);
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const started = app;
    return {
      url,
      config,
      app: started,
      db,
      bus,
      identity,
      async uploads() {
        const store = await new Objm(bus.js).open(bus.names.uploadsBucket).catch(() => undefined);
        if (!store) return [];
        return (await store.list()).filter((o) => !o.deleted).map((o) => o.name);
      },
      async close() {
        await started.close();
        await bus.jsm.streams.delete(`OBJ_${bus.names.uploadsBucket}`).catch(() => undefined);
        await bus.cleanup();
        await db.destroy();
        await testDb.drop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await bus.cleanup();
    await db.destroy();
    await testDb.drop();
    throw error;
  }
}

/** A command as Nest's NATS client puts it on the wire. */
export interface CommandPacket<P = Record<string, unknown>> {
  readonly id: string;
  readonly pattern: string;
  readonly data: { payload: P; actor: string; correlationId: string };
  /** The NATS header `Authorization` it came with (recorded by `respondTo`, not part of the body). */
  readonly authorization?: string;
}

export type CommandReply = { response: unknown } | { err: { code: string; message: string; issues?: { path?: string; message: string }[] } };

/**
 * A stand-in service on the real bus: answers one command subject in Nest's NATS reply format
 * (`{id, response|err, isDisposed}`), recording what it received. `command` is a contract (its
 * subject) or the name of a deck command.
 */
export async function respondTo<P = Record<string, unknown>>(
  bus: TestBus,
  command: string | CommandDefinition,
  answer: (packet: CommandPacket<P>) => CommandReply | Promise<CommandReply>,
): Promise<{ received: CommandPacket<P>[]; subscription: Subscription }> {
  const received: CommandPacket<P>[] = [];
  const pattern = typeof command === 'string' ? `cmd.deck.${command}` : command.pattern;
  const subscription = bus.nc.subscribe(bus.names.commandSubject(pattern), {
    callback: (error: Error | null, msg: Msg) => {
      if (error) return;
      const packet = msg.json<CommandPacket<P>>();
      received.push({ ...packet, authorization: msg.headers?.get('Authorization') || undefined });
      void Promise.resolve(answer(packet)).then((reply) => msg.respond(JSON.stringify({ id: packet.id, ...reply, isDisposed: true })));
    },
  });
  // The gateway publishes on its own connection: the server must know this subscription first, or it answers "no responders".
  await bus.nc.flush();
  return { received, subscription };
}

/** Records every command published in the namespace (`<ns>.cmd.>`). */
export async function recordCommands(bus: TestBus): Promise<{ subjects: string[]; subscription: Subscription }> {
  const subjects: string[] = [];
  const subscription = bus.nc.subscribe(bus.names.commandSubject('cmd.>'), {
    callback: (_e, msg) => {
      subjects.push(msg.subject);
    },
  });
  await bus.nc.flush();
  return { subjects, subscription };
}
