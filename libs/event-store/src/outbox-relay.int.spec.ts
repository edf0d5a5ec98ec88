import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'kysely';
import { ConflictError } from '@vista/contracts';
import { waitFor } from '@vista/testing';
import { type EventStoreHarness, auditRelay, createEventStoreHarness, readRelayed, waitUntilRelayed } from './testing/event-store.harness.js';
import { doeStarted, doeStartedSeries, metadataFactory } from './testing/events.factory.js';
import { writeStreams } from './testing/stream-load.harness.js';

// Real servers, a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(60_000);

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('OutboxRelay (real Postgres and NATS JetStream)', () => {
  let h: EventStoreHarness;
  beforeEach(async () => {
    h = await createEventStoreHarness('relay', { bus: true });
  });
  afterEach(() => h?.cleanup());

  const meta = metadataFactory;
  const streamMessages = async () => (await h.bus!.jsm.streams.info(h.bus!.names.eventsStream)).state.messages;
  const positionsOf = async (streamId: string) => {
    const { rows } = await sql<{ p: number }>`
      select global_position as p from ${sql.id(h.schema, 'events')} where stream_id = ${streamId} order by stream_version`.execute(h.db);
    return rows.map((r) => r.p);
  };

  it('publishes each event on its subject, with its id as Nats-Msg-Id and its envelope and trace context', async () => {
    const relay = h.startRelay();
    const event = doeStarted({ kitId: 42 });
    const appended = await h.store.append({ streamId: 'doe-run-1', expectedVersion: 0, events: [event] }, meta({ traceparent: TRACEPARENT }));

    await waitFor(async () => (await streamMessages()) === 1, 'the event on the bus', 10_000);

    const [message] = await readRelayed(h.bus!);
    expect(message!.subject).toBe(`${h.bus!.namespace}.evt.doe.42.DoeStarted`);
    expect(message!.msgId).toBe(appended.eventIds[0]);
    expect(message!.envelope).toMatchObject({
      eventId: appended.eventIds[0],
      type: 'DoeStarted',
      schemaVersion: 1,
      streamId: 'doe-run-1',
      streamVersion: 1,
      context: 'doe',
      data: event.data,
      metadata: { traceparent: TRACEPARENT },
    });
    const stored = await h.bus!.jsm.streams.getMessage(h.bus!.names.eventsStream, { seq: 1 });
    expect(stored?.header.get('traceparent')).toBe(TRACEPARENT);
    expect(relay.getStatus()).toMatchObject({ active: true, relayed: 1 });
  });

  it('relays an append whose transaction took an earlier position but committed after later ones, keeping stream order', async () => {
    h.startRelay();
    let appendedInside!: () => void;
    const inside = new Promise<void>((resolve) => (appendedInside = resolve));

    const late = h.store.inTransaction(async (trx) => {
      await h.store.append({ streamId: 'late', expectedVersion: 0, events: doeStartedSeries(2) }, meta(), trx);
      appendedInside();
      await sql`select pg_sleep(1.5)`.execute(trx);
    });
    await inside;
    // These take later positions and commit while the first transaction still sleeps.
    await h.store.append({ streamId: 'early', expectedVersion: 0, events: doeStartedSeries(3) }, meta());
    await h.store.append({ streamId: 'early', expectedVersion: 3, events: doeStartedSeries(2, 1, 4) }, meta());
    await late;
    await h.store.append({ streamId: 'late', expectedVersion: 2, events: doeStartedSeries(1, 1, 3) }, meta());

    const [lateFirst] = await positionsOf('late');
    expect(lateFirst).toBeLessThan(Math.min(...(await positionsOf('early'))));
    await waitFor(async () => (await streamMessages()) >= 8, 'all 8 events on the bus', 15_000);
    await waitUntilRelayed(h, 'the relay to finish');
    expect(await auditRelay(h)).toEqual({ storedEvents: 8, streamMessages: 8, distinctMessageIds: 8, missing: [], outOfOrder: [] });
  });

  it('keeps stream order when a transaction that began earlier appends after a newer writer (it retries as a conflict)', async () => {
    h.startRelay();
    let holdsId!: () => void;
    const hasTransactionId = new Promise<void>((resolve) => (holdsId = resolve));
    let proceed!: () => void;
    const mayProceed = new Promise<void>((resolve) => (proceed = resolve));
    let attempts = 0;

    const useCase = async (): Promise<void> => {
      attempts++;
      await h.store.inTransaction(async (trx) => {
        // Its own write first (as a use case storing a row before its event): the transaction id is taken here.
        await h.store.append({ streamId: `audit-${attempts}`, expectedVersion: 0, events: doeStartedSeries(1) }, meta(), trx);
        if (attempts === 1) {
          holdsId();
          await mayProceed;
        }
        const version = await h.store.streamVersion('shared');
        await h.store.append({ streamId: 'shared', expectedVersion: version, events: [doeStarted({ attempt: 100 + attempts })] }, meta(), trx);
      });
    };
    const older = useCase().catch(async (error: unknown) => {
      expect(error).toBeInstanceOf(ConflictError);
      await useCase();
    });
    await hasTransactionId;
    await h.store.append({ streamId: 'shared', expectedVersion: 0, events: [doeStarted({ attempt: 1 })] }, meta());
    proceed();
    await older;

    expect(attempts).toBe(2);
    expect((await h.store.readStream('shared')).map((e) => e.data.attempt)).toEqual([1, 102]);
    await waitUntilRelayed(h, 'the relay to finish');
    expect(await auditRelay(h)).toEqual({ storedEvents: 3, streamMessages: 3, distinctMessageIds: 3, missing: [], outOfOrder: [] });
  });

  it('relays the events of many overlapping slow transactions and fast appends exactly once, in stream order', async () => {
    h.startRelay({ batchSize: 7 });
    const slow = Array.from({ length: 6 }, (_, i) =>
      h.db.transaction().execute(async (trx) => {
        await h.store.append({ streamId: `slow-${i}`, expectedVersion: 0, events: doeStartedSeries(3) }, meta(), trx);
        await sql`select pg_sleep(${0.2 + 0.15 * i})`.execute(trx);
        await h.store.append({ streamId: `slow-${i}`, expectedVersion: 3, events: doeStartedSeries(2, 1, 4) }, meta(), trx);
      }),
    );
    const fast = writeStreams(h.store, { streams: 10, eventsPerStream: 20, concurrency: 4 });
    await Promise.all([...slow, fast]);

    await waitUntilRelayed(h, 'the relay to finish', 20_000);
    expect(await auditRelay(h)).toEqual({ storedEvents: 230, streamMessages: 230, distinctMessageIds: 230, missing: [], outOfOrder: [] });
  });

  it('is not held up for long by a rolled-back append', async () => {
    h.startRelay();
    let appendedInside!: () => void;
    const inside = new Promise<void>((resolve) => (appendedInside = resolve));
    let rolledBackId = '';

    const failed = h.db.transaction().execute(async (trx) => {
      const result = await h.store.append({ streamId: 'doomed', expectedVersion: 0, events: doeStartedSeries(2) }, meta(), trx);
      rolledBackId = result.eventIds[0]!;
      appendedInside();
      await sql`select pg_sleep(0.5)`.execute(trx);
      throw new Error('the use case failed after appending');
    });
    await inside;
    await h.store.append({ streamId: 'during', expectedVersion: 0, events: doeStartedSeries(2) }, meta());
    await expect(failed).rejects.toThrow('the use case failed after appending');
    await h.store.append({ streamId: 'after', expectedVersion: 0, events: doeStartedSeries(3) }, meta());

    // The rolled-back positions leave a gap; the relay must not wait for them.
    await waitFor(async () => (await streamMessages()) === 5, 'the events around the rollback on the bus', 5_000);
    await waitUntilRelayed(h, 'the relay to finish', 5_000);
    const relayed = await readRelayed(h.bus!);
    expect(relayed.map((m) => m.msgId)).not.toContain(rolledBackId);
    expect(await auditRelay(h)).toEqual({ storedEvents: 5, streamMessages: 5, distinctMessageIds: 5, missing: [], outOfOrder: [] });

    await h.store
      .inTransaction(async (trx) => {
        await h.store.append({ streamId: 'doomed', expectedVersion: 0, events: doeStartedSeries(1) }, meta(), trx);
        throw new Error('rolled back again');
      })
      .catch(() => undefined);
    await h.store.append({ streamId: 'after', expectedVersion: 3, events: doeStartedSeries(1, 1, 4) }, meta());
    await waitFor(async () => (await streamMessages()) === 6, 'the next append on the bus', 5_000);
  });

  it('resumes from its checkpoint after a graceful stop, without republishing', async () => {
    const first = h.startRelay();
    await writeStreams(h.store, { streams: 5, eventsPerStream: 10 });
    await waitUntilRelayed(h, 'the first relay to finish');
    await first.stop();

    await writeStreams(h.store, { streams: 5, eventsPerStream: 4, fromVersion: 10 });
    const second = h.startRelay();
    await waitUntilRelayed(h, 'the second relay to finish');

    expect(first.getStatus().relayed).toBe(50);
    expect(second.getStatus().relayed).toBe(20);
    expect(await auditRelay(h)).toEqual({ storedEvents: 70, streamMessages: 70, distinctMessageIds: 70, missing: [], outOfOrder: [] });
  });

  it('keeps one relay per schema active while another waits, and the standby takes over when it stops', async () => {
    const first = h.startRelay();
    await waitFor(async () => first.getStatus().active, 'the first relay to take the lock', 5_000);
    const standby = h.startRelay();
    const overlaps: string[] = [];
    const sampler = setInterval(() => {
      if (first.getStatus().active && standby.getStatus().active) overlaps.push(new Date().toISOString());
    }, 5);
    try {
      await sleep(300); // the standby has tried for the lock a few times by now
      expect(standby.getStatus().active).toBe(false);

      await writeStreams(h.store, { streams: 10, eventsPerStream: 30 });
      await waitUntilRelayed(h, 'the active relay to finish');
      expect(first.getStatus().relayed).toBe(300);
      expect(standby.getStatus()).toMatchObject({ active: false, relayed: 0 });

      await first.stop();
      await waitFor(async () => standby.getStatus().active, 'the standby to take over', 5_000);
      await writeStreams(h.store, { streams: 10, eventsPerStream: 10, fromVersion: 30 });
      await waitUntilRelayed(h, 'the standby to finish');
    } finally {
      clearInterval(sampler);
    }

    expect(overlaps).toEqual([]);
    expect(standby.getStatus().relayed).toBe(100);
    expect(await auditRelay(h)).toEqual({ storedEvents: 400, streamMessages: 400, distinctMessageIds: 400, missing: [], outOfOrder: [] });
  });

  it('reports itself healthy again after recovering from a lost session, with nothing new to relay', async () => {
    const errors: unknown[] = [];
    const relay = h.startRelay({ onError: (error) => errors.push(error) });
    await waitFor(async () => relay.getStatus().active, 'the relay to take the lock', 5_000);

    // Kill the session holding the relay's lock, again and again, until a kill lands mid-poll and
    // the relay sees a failed query (a kill between polls it takes quietly).
    await waitFor(
      async () => {
        await sql`select pg_terminate_backend(pid) from pg_locks
                  where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(h.db);
        return errors.length > 0;
      },
      'the relay to see its session end',
      10_000,
      5,
    );

    await waitFor(async () => relay.getStatus().active && relay.getStatus().lastError === undefined, 'the relay active and healthy again', 10_000);
  });

  it('hands over to the standby when the active relay loses its database session', async () => {
    const first = h.startRelay();
    await waitFor(async () => first.getStatus().active, 'the first relay to take the lock', 5_000);
    const standby = h.startRelay();
    await writeStreams(h.store, { streams: 5, eventsPerStream: 10 });
    await waitUntilRelayed(h, 'the first relay to finish');

    // As if its connection dropped: the session ends and its advisory lock with it.
    await sql`
      select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(h.db);
    await writeStreams(h.store, { streams: 5, eventsPerStream: 10, fromVersion: 10 });
    await waitUntilRelayed(h, 'some relay to relay what came after', 15_000);

    expect(first.getStatus().relayed + standby.getStatus().relayed).toBeGreaterThanOrEqual(100);
    expect(await auditRelay(h)).toEqual({ storedEvents: 100, streamMessages: 100, distinctMessageIds: 100, missing: [], outOfOrder: [] });
  });
});
