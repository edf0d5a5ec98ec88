import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Controller, type DynamicModule, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { ConflictError, StartKitRun, type StartKitRunResult, type StartKitRunV1, StopKitRun, VistaError } from '@vista/contracts';
import { IdentityModule } from '@vista/identity';
import { type TestIdentity, createTestIdentity, testServers, uniqueNamespace } from '@vista/testing';
import type { CommandMessage } from './command-message.js';
import { CommandClient } from './command.client.js';
import { NamespacedNatsServer } from './namespaced-nats.server.js';
import { CommandInput, OnCommand } from './on-command.decorator.js';
import { useTestTracing } from '../testing/test-tracing.js';

// Real NATS on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(30_000);

/** What one service instance saw: the commands it handled and the trace each ran in. */
interface Replica {
  readonly name: string;
  readonly handled: { correlationId: string; actor: string; traceId?: string }[];
}
const REPLICA = Symbol('REPLICA');
/** Kit ids the test handler treats specially. */
const CONFLICTING_KIT = 409;
const FAILING_KIT = 500;
const SLOW_KIT = 408;

@Controller()
class KitRunCommands {
  constructor(@Inject(REPLICA) private readonly replica: Replica) {}

  @OnCommand(StartKitRun)
  async startKitRun(@CommandInput(StartKitRun) command: CommandMessage<StartKitRunV1>): Promise<StartKitRunResult> {
    this.replica.handled.push({ correlationId: command.correlationId, actor: command.actor, traceId: trace.getActiveSpan()?.spanContext().traceId });
    if (command.payload.kitId === CONFLICTING_KIT) throw new ConflictError(`kit ${CONFLICTING_KIT} already has a run in progress`);
    if (command.payload.kitId === FAILING_KIT) throw new Error('connection string postgres://secret@db leaked');
    if (command.payload.kitId === SLOW_KIT) await sleep(1_000);
    return { kitId: command.payload.kitId, runId: randomUUID(), jobId: randomUUID() };
  }
}

@Module({})
class KitRunCommandsModule {
  static forReplica(replica: Replica, identity: TestIdentity): DynamicModule {
    return {
      module: KitRunCommandsModule,
      imports: [IdentityModule.forRoot({ env: identity.env })],
      controllers: [KitRunCommands],
      providers: [{ provide: REPLICA, useValue: replica }],
    };
  }
}

describe('commands over NATS request/reply (real NATS, Nest microservice)', () => {
  const provider = new TracerProvider();
  let namespace: string;
  let client: CommandClient;
  let replicas: { app: INestMicroservice; replica: Replica }[];
  let identity: TestIdentity;
  /** A user allowed to start runs; the command carries the user's token (NATS header Authorization). */
  let call: { actor: string; correlationId: string; authorization: string };
  const USER = 'user-7';

  useTestTracing(provider);

  beforeAll(async () => {
    identity = await createTestIdentity();
    call = {
      actor: USER,
      correlationId: randomUUID(),
      authorization: identity.header(await identity.token({ sub: USER, roles: ['logic.general'] })).authorization,
    };
  });

  beforeEach(async () => {
    namespace = uniqueNamespace();
    replicas = [];
    client = new CommandClient(namespace, [testServers.natsUrl], 'test-gateway');
    await client.connect();
  });
  afterEach(async () => {
    try {
      await client?.close();
    } finally {
      for (const { app } of replicas) await app.close();
    }
  });

  /** Starts one replica of the service: its own connection, subscribed in the `deck` queue group. */
  const startReplica = async (name: string): Promise<Replica> => {
    const replica: Replica = { name, handled: [] };
    const strategy = new NamespacedNatsServer(namespace, { servers: [testServers.natsUrl], name, queue: 'deck' });
    const app = await NestFactory.createMicroservice(KitRunCommandsModule.forReplica(replica, identity), { strategy, logger: false });
    await app.listen();
    // The subscriptions must reach the server before the first request is sent.
    await strategy.unwrap<NatsConnection>().flush();
    replicas.push({ app, replica });
    return replica;
  };

  it('replies with the handler result to a valid command, continuing the caller trace', async () => {
    const replica = await startReplica('deck-1');
    const tracer = trace.getTracer('test');

    const { result, traceId } = await tracer.startActiveSpan('POST /api/v1/kits/7/runs', async (span) => {
      try {
        const reply = await client.execute(StartKitRun, { kitId: 7, sourcePath: 'decks/kit-7.csv' }, call);
        return { result: reply, traceId: span.spanContext().traceId };
      } finally {
        span.end();
      }
    });

    expect(result).toEqual({ kitId: 7, runId: expect.any(String), jobId: expect.any(String) });
    expect(replica.handled).toEqual([{ correlationId: call.correlationId, actor: USER, traceId }]);
  });

  it("refuses a command without a token as 'unauthenticated', and takes the actor from the token, never the body", async () => {
    const replica = await startReplica('deck-1');
    const anonymous = await client
      .execute(StartKitRun, { kitId: 7, sourcePath: 'a.csv' }, { actor: 'admin', correlationId: randomUUID() })
      .catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ code: 'unauthenticated' });
    const forged = await client
      .execute(StartKitRun, { kitId: 7, sourcePath: 'a.csv' }, { actor: 'admin', correlationId: randomUUID(), authorization: 'Bearer not.a.token' })
      .catch((e: unknown) => e);
    expect(forged).toMatchObject({ code: 'unauthenticated' });
    await client.execute(StartKitRun, { kitId: 7, sourcePath: 'a.csv' }, { ...call, actor: 'someone-else' });
    expect(replica.handled.map((h) => h.actor)).toEqual([USER]);
  });

  it("refuses a sender the command's access does not allow as 'forbidden', naming the role", async () => {
    const replica = await startReplica('deck-1');
    const roleless = identity.header(await identity.token({ sub: 'user-8', roles: [] })).authorization;
    const error = await client.execute(StartKitRun, { kitId: 7, sourcePath: 'a.csv' }, { ...call, authorization: roleless }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('logic.general') });
    // StartKitRun is for users: a service token does not do.
    const service = `Bearer ${await identity.serviceToken('doe')}`;
    const fromService = await client.execute(StartKitRun, { kitId: 7, sourcePath: 'a.csv' }, { ...call, authorization: service }).catch((e: unknown) => e);
    expect(fromService).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/service/) });
    expect(replica.handled).toEqual([]);
  });

  it("rejects an invalid payload with code 'invalid', naming the wrong and the unknown field", async () => {
    const replica = await startReplica('deck-1');

    const error = await client
      .execute(StartKitRun, { kitId: 'seven', sourcePath: 'decks/kit-7.csv', colour: 'red' } as unknown as StartKitRunV1, call)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VistaError);
    expect(error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/kitId/) });
    expect((error as VistaError).message).toMatch(/colour/);
    expect((error as VistaError).issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['kitId', 'colour']));
    expect(replica.handled).toEqual([]);
  });

  it("delivers a ConflictError thrown by the handler to the caller as code 'conflict', with its message", async () => {
    await startReplica('deck-1');

    const error = await client.execute(StartKitRun, { kitId: CONFLICTING_KIT, sourcePath: 'decks/a.csv' }, call).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VistaError);
    expect(error).toMatchObject({ code: 'conflict', message: `kit ${CONFLICTING_KIT} already has a run in progress` });
  });

  it("answers an unexpected handler failure as code 'internal' without leaking its message", async () => {
    await startReplica('deck-1');

    const error = await client.execute(StartKitRun, { kitId: FAILING_KIT, sourcePath: 'decks/a.csv' }, call).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).not.toMatch(/secret/);
  });

  it("fails at once with code 'unavailable' when no service listens for the command", async () => {
    await startReplica('deck-1');

    const error = await client.execute(StopKitRun, { runId: randomUUID() }, call).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^StopKitRun could not be delivered: .*no subscribers/) });
  });

  it("fails with code 'timeout' when the service does not answer in time", async () => {
    await startReplica('deck-1');

    const error = await client.execute(StartKitRun, { kitId: SLOW_KIT, sourcePath: 'decks/a.csv' }, { ...call, timeoutMs: 200 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'timeout', message: 'StartKitRun got no reply in time' });
  });

  it('shares commands between replicas in one queue group, each command handled exactly once', async () => {
    const first = await startReplica('deck-1');
    const second = await startReplica('deck-2');
    const calls = Array.from({ length: 20 }, (_, i) => ({ kitId: i + 1, correlationId: randomUUID() }));

    const replies = await Promise.all(
      calls.map((c) => client.execute(StartKitRun, { kitId: c.kitId, sourcePath: 'decks/a.csv' }, { ...call, correlationId: c.correlationId })),
    );

    expect(replies.map((r) => r.kitId)).toEqual(calls.map((c) => c.kitId));
    const handled = [...first.handled, ...second.handled].map((h) => h.correlationId);
    expect(handled.sort()).toEqual(calls.map((c) => c.correlationId).sort());
    expect(first.handled.length).toBeGreaterThan(0);
    expect(second.handled.length).toBeGreaterThan(0);
  });
});
