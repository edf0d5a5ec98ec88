import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { CommandClient, EventPublisher } from '@vista/bus';
import { RebuildReadModel } from '@vista/contracts';
import { testServers, waitFor } from '@vista/testing';
import { EventFactory } from '../../domain/testing/event.factory.js';
import { readSnapshot } from '../../repositories/read-model.snapshot.js';
import { foldOfStream, startProjector, type ProjectorHarness } from '../../testing/projector.harness.js';

describe('rebuilding the read model', () => {
  let h: ProjectorHarness;
  let publisher: EventPublisher;
  let commands: CommandClient;
  const f = new EventFactory();

  const lastSequence = async () => (await h.bus.jsm.streams.info(h.bus.names.eventsStream)).state.last_seq;
  const caughtUp = async () => {
    const last = await lastSequence();
    await waitFor(
      async () => {
        const { rows } = await sql<{ position: number }>`select position from read.projector_status`.execute(h.db);
        const info = await h.bus.jsm.consumers.info(h.bus.names.eventsStream, 'projector');
        return rows[0]!.position >= last && info.num_pending + info.num_ack_pending === 0;
      },
      `the projector to reach ${last}`,
      30_000,
    );
  };
  const rebuild = () => commands.execute(RebuildReadModel, { reason: 'test' }, { actor: 'service:test', correlationId: randomUUID(), timeoutMs: 60_000 });

  /** Kit runs of `kits` kits, some failing, interleaved the way concurrent kits would be. */
  const someRuns = (kits: number, firstKit: number) => {
    const endings = ['FAILED', 'TIMEOUT', 'CANCELLED', 'RUNNING'] as const;
    const tasks = ['deck_collection', 'doe', 'preprocess', 'training', 'optimize'] as const;
    const perKit = Array.from({ length: kits }, (_, k) => [
      ...f.kitRun({ kitId: firstKit + k }),
      ...f.kitRun({ kitId: firstKit + k, stopAt: { task: tasks[k % tasks.length]!, ending: endings[k % endings.length]! } }),
    ]);
    const out = [];
    for (let i = 0; perKit.some((events) => i < events.length); i++) for (const events of perKit) if (i < events.length) out.push(events[i]!);
    return out;
  };

  /** Queries the gateway's tables in a loop, recording any error and the smallest kit_state seen. */
  const keepReading = () => {
    let stop = false;
    const seen = { reads: 0, errors: [] as string[], smallest: Number.POSITIVE_INFINITY };
    const done = (async () => {
      while (!stop) {
        try {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from read.kit_state`.execute(h.db);
          await sql`select status, position from read.kits where kit_id = 1`.execute(h.db);
          seen.smallest = Math.min(seen.smallest, rows[0]!.n);
          seen.reads++;
        } catch (error) {
          seen.errors.push((error as Error).message);
        }
        await sleep(2);
      }
    })();
    return { seen, stop: async () => ((stop = true), await done) };
  };

  beforeAll(async () => {
    h = await startProjector({ PROJECTOR_BATCH_SIZE: '500' });
    publisher = new EventPublisher(h.bus.js, h.bus.names);
    // The projector accepts a rebuild from an admin or one of Vista's services: the test signs as a service.
    commands = new CommandClient(h.bus.namespace, [testServers.natsUrl], 'rebuild-test', {
      serviceAuthorization: async () => `Bearer ${await h.identity.serviceToken('rebuild-test')}`,
    });
    await commands.connect();
  }, 30_000);

  afterAll(async () => {
    await commands?.close();
    await h?.close();
  });

  it('replays the stream into identical tables and swaps them in while reads go on', async () => {
    const events = someRuns(40, 1);
    await publisher.publishBatch([f.deckIngested(), ...events.slice(0, 1_000)]);
    await h.bus.js.publish(h.bus.names.eventSubject('deck', 1, 'DeckCollectionStarted'), new TextEncoder().encode('{ not json'));
    await publisher.publishBatch(events.slice(1_000));
    await caughtUp();
    const before = await readSnapshot(h.db, 'read');
    const reader = keepReading();

    const result = await rebuild();

    await reader.stop();
    expect(result).toEqual({ schema: expect.stringMatching(/^read_rebuild_[a-z0-9]+$/), events: events.length + 1, durationMs: expect.any(Number) });
    expect(await readSnapshot(h.db, 'read')).toEqual(before);
    expect(reader.seen.errors).toEqual([]);
    expect(reader.seen.reads).toBeGreaterThan(0);
    expect(reader.seen.smallest).toBe(before.kit_state.length);
    const schemas = await sql<{ name: string }>`select nspname as name from pg_namespace where nspname like 'read%' order by 1`.execute(h.db);
    expect(schemas.rows.map((r) => r.name)).toEqual(['read']);
  }, 60_000);

  it('keeps every event published while it runs', async () => {
    const events = someRuns(30, 100);
    const publishing = (async () => {
      for (let i = 0; i < events.length; i += 100) {
        await publisher.publishBatch(events.slice(i, i + 100));
        await sleep(5);
      }
    })();

    const result = await rebuild();
    await publishing;
    await caughtUp();

    expect(result.events).toBeGreaterThan(0);
    expect(await readSnapshot(h.db, 'read')).toEqual(await foldOfStream(h.bus.js, h.bus.names.eventsStream, await lastSequence()));
  }, 60_000);

  it('refuses a second rebuild while one runs', async () => {
    const [first, second] = await Promise.allSettled([rebuild(), rebuild()]);
    expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = [first, second].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'conflict' });
  }, 60_000);
});
