import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { EventPublisher } from '@vista/bus';
import { findEvent } from '@vista/contracts';
import { createDatabase } from '@vista/db';
import { createTestBus, createTestDatabase, type Platform, startPlatform, type TestBus, type TestDatabase, testServers, waitFor } from '@vista/testing';
import type { ReadModelSnapshot } from './domain/in-memory-read-model.js';
import { EventFactory, type Ending } from './domain/testing/event.factory.js';
import { readSnapshot } from './repositories/read-model.snapshot.js';
import { foldOfStream, streamPositions } from './testing/projector.harness.js';

const run = promisify(execFile);
const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const KITS = 200;
const LIFECYCLE_EVENTS = 20_000;
const KILLS = 5;

/** A small seeded generator: the same story on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

type Envelope = ReturnType<EventFactory['kitRunStarted']>;

/** Kit runs of KITS kits (some failing, timing out or cancelled), interleaved as concurrent kits would be. */
function story(random: () => number): { events: Envelope[]; lifecycle: Envelope[] } {
  const f = new EventFactory();
  const endings: Ending[] = ['FAILED', 'TIMEOUT', 'CANCELLED', 'RUNNING'];
  const tasks = ['deck_collection', 'doe', 'preprocess', 'scaling', 'training', 'test', 'optimize'] as const;
  const queues: Envelope[][] = Array.from({ length: KITS }, () => []);
  let lifecycleCount = 0;
  while (lifecycleCount < LIFECYCLE_EVENTS) {
    const kit = Math.floor(random() * KITS);
    const stop = random() < 0.4 ? { task: tasks[Math.floor(random() * tasks.length)]!, ending: endings[Math.floor(random() * endings.length)]! } : undefined;
    const runEvents = f.kitRun({ kitId: kit + 1, stopAt: stop });
    queues[kit]!.push(...runEvents);
    lifecycleCount += runEvents.filter((e) => findEvent(e.type)?.lifecycle).length;
  }
  const events: Envelope[] = [];
  const heads = queues.map(() => 0);
  let live = queues.map((_, i) => i).filter((i) => queues[i]!.length > 0);
  while (live.length > 0) {
    const pick = live[Math.floor(random() * live.length)]!;
    events.push(queues[pick]![heads[pick]!++]!);
    if (heads[pick] === queues[pick]!.length) live = live.filter((i) => i !== pick);
  }
  return { events, lifecycle: events.filter((e) => findEvent(e.type)?.lifecycle) };
}

/**
 * Latest status per (kit, job type, task), computed from the stream order alone (a publish retried
 * by the client may land after a later one, so the stream, not the publish order, is the truth).
 */
function latestStates(lifecycle: Envelope[], positions: Map<string, number>): Map<string, { jobId: string; status: string }> {
  const latest = new Map<string, { jobId: string; status: string }>();
  for (const e of [...lifecycle].sort((a, b) => positions.get(a.eventId)! - positions.get(b.eventId)!)) {
    const effect = findEvent(e.type)!.lifecycle!;
    const data = e.data as { kitId: number; jobId: string };
    const task = typeof effect.task === 'function' ? (effect.task as (p: object) => string)(e.data) : effect.task;
    latest.set(`${data.kitId}/${effect.jobType}/${task}`, { jobId: data.jobId, status: effect.status });
  }
  return latest;
}

describe('projector under kill -9', () => {
  let database: TestDatabase;
  let bus: TestBus;
  let platform: Platform | undefined;
  let db: Kysely<any>;

  beforeAll(async () => {
    // The projector runs from dist/, as in production: build what it needs.
    await run(process.execPath, [path.join(ROOT, 'node_modules/@swc/cli/bin/swc.js'), 'apps/projector', 'libs', 'tools/rebuild', '-d', 'dist'], { cwd: ROOT });
    database = await createTestDatabase('projector_crash');
    bus = await createTestBus();
    db = createDatabase({ url: database.url, poolMax: 4 });
    platform = await startPlatform({
      databaseUrl: database.url,
      namespace: bus.namespace,
      services: ['projector'],
      env: { PROJECTOR_BATCH_SIZE: '500', PROJECTOR_STALL_SECONDS: '60' },
    });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.destroy();
    await bus?.cleanup();
    await database?.drop();
  }, 30_000);

  it('ends with the read model a fold of every event gives, then rebuilds it identically', async () => {
    const random = seeded(20_261_121);
    const { events, lifecycle } = story(random);
    const publisher = new EventPublisher(bus.js, bus.names);

    // Publish for ~12 s while the projector is killed and restarted at random moments.
    const publishing = (async () => {
      for (let i = 0; i < events.length; i += 250) {
        await publisher.publishBatch(events.slice(i, i + 250));
        await sleep(100);
      }
    })();
    const killing = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await sleep(800 + random() * 1_500);
        await platform!.kill('projector');
        await sleep(50 + random() * 300);
        await platform!.restart('projector');
      }
    })();
    await Promise.all([publishing, killing]);
    const published = Date.now();

    const last = (await bus.jsm.streams.info(bus.names.eventsStream)).state.last_seq;
    expect(last).toBe(events.length);
    await waitFor(
      async () => {
        const info = await bus.jsm.consumers.info(bus.names.eventsStream, 'projector');
        const { rows } = await sql<{ position: number }>`select position from read.projector_status`.execute(db);
        return info.num_pending + info.num_ack_pending === 0 && rows[0]!.position === last;
      },
      'the projector to catch up',
      60_000,
      250,
    );

    process.stdout.write(`caught up ${Date.now() - published} ms after the last publish\n`);
    const snapshot = await readSnapshot(db, 'read');
    // One history row per lifecycle event, each event once.
    expect(snapshot.state_history).toHaveLength(lifecycle.length);
    expect(new Set(snapshot.state_history.map((h) => h.event_id))).toEqual(new Set(lifecycle.map((e) => e.eventId)));
    // kit_state holds the latest transition of every task, as the publish order says.
    const expected = latestStates(lifecycle, await streamPositions(bus.js, bus.names.eventsStream, last));
    expect(new Map(snapshot.kit_state.map((k) => [`${k.kit_id}/${k.job_type}/${k.task_name}`, { jobId: k.job_id, status: k.status }]))).toEqual(expected);
    // And every table equals the in-memory fold of the whole stream.
    const reference: ReadModelSnapshot = await foldOfStream(bus.js, bus.names.eventsStream, last);
    expect(snapshot.deck_collection).toEqual(reference.deck_collection);
    expect(snapshot).toEqual(reference);

    // A rebuild from the stream, through the operator's command line, gives the same tables.
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'dist/tools/rebuild/rebuild.js'), 'crash test'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NATS_URL: testServers.natsUrl,
        VISTA_BUS_NAMESPACE: bus.namespace,
        SERVICE_SIGNING_KEY: platform!.identity.env.SERVICE_SIGNING_KEY,
      },
    });
    const result = JSON.parse(stdout) as { schema: string; events: number; durationMs: number };
    expect(result).toMatchObject({ schema: expect.stringMatching(/^read_rebuild_/), events: events.length });
    expect(await readSnapshot(db, 'read')).toEqual(snapshot);
  }, 150_000);
});
