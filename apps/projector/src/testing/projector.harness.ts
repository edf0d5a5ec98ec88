import type { INestApplication } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Kysely } from 'kysely';
import { decodeEvent } from '@vista/bus';
import type { DeliveredEvent } from '@vista/contracts';
import { createDatabase } from '@vista/db';
import { createTestBus, createTestDatabase, createTestIdentity, type TestBus, type TestDatabase, type TestIdentity, testServers } from '@vista/testing';
import { createProjectorApp, migrateReadModel } from '../bootstrap.js';
import { loadProjectorConfig, type ProjectorConfig } from '../config/projector.config.js';
import { InMemoryReadModel, type ReadModelSnapshot } from '../domain/in-memory-read-model.js';
import { EventStreamReader } from '../use-cases/rebuild-read-model/event-stream.reader.js';

/** A projector application in this process, on its own database and bus namespace. */
export interface ProjectorHarness {
  readonly app: INestApplication;
  readonly config: ProjectorConfig;
  readonly bus: TestBus;
  readonly database: TestDatabase;
  /** A separate pool for the test's own queries. */
  readonly db: Kysely<any>;
  readonly url: string;
  /** The keys the projector trusts: send RebuildReadModel with `identity.serviceToken(...)` or an admin's token. */
  readonly identity: TestIdentity;
  close(): Promise<void>;
}

export async function startProjector(env: Record<string, string> = {}): Promise<ProjectorHarness> {
  const database = await createTestDatabase('projector');
  const bus = await createTestBus();
  const identity = await createTestIdentity();
  const config = loadProjectorConfig({
    ...identity.env,
    DATABASE_URL: database.url,
    NATS_URL: testServers.natsUrl,
    VISTA_BUS_NAMESPACE: bus.namespace,
    LOG_LEVEL: 'warn',
    ...env,
  });
  await migrateReadModel(config);
  const app = await createProjectorApp(config);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const db = createDatabase({ url: database.url, poolMax: 4 });
  return {
    app,
    config,
    bus,
    database,
    db,
    identity,
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    async close() {
      await app.close();
      await db.destroy();
      await bus.cleanup();
      await database.drop();
    },
  };
}

/** The read model a fold of everything now in the stream gives, computed in memory. */
export async function foldOfStream(js: JetStreamClient, stream: string, lastSequence: number): Promise<ReadModelSnapshot> {
  const model = new InMemoryReadModel();
  if (lastSequence === 0) return model.snapshot();
  const reader = await EventStreamReader.open(js, stream, 1_000);
  try {
    let batch: DeliveredEvent<object>[] = [];
    for (let msg = await reader.next(); msg; msg = await reader.next()) {
      const decoded = decodeEvent(msg.data, msg.seq);
      if (decoded.ok) batch.push(decoded.event);
      if (batch.length === 500 || msg.seq >= lastSequence) {
        model.apply(batch);
        batch = [];
      }
      if (msg.seq >= lastSequence) break;
    }
  } finally {
    await reader.close();
  }
  return model.snapshot();
}

/** Event id → stream position of every message up to `lastSequence`. */
export async function streamPositions(js: JetStreamClient, stream: string, lastSequence: number): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  if (lastSequence === 0) return positions;
  const reader = await EventStreamReader.open(js, stream, 1_000);
  const decoder = new TextDecoder();
  try {
    for (let msg = await reader.next(); msg; msg = await reader.next()) {
      try {
        positions.set((JSON.parse(decoder.decode(msg.data)) as { eventId: string }).eventId, msg.seq);
      } catch {
        // not an event: no id to place
      }
      if (msg.seq >= lastSequence) break;
    }
  } finally {
    await reader.close();
  }
  return positions;
}
