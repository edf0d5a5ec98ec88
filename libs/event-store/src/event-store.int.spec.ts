import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'kysely';
import { ConflictError, ValidationError } from '@vista/contracts';
import { MAX_EVENT_BYTES, type NewEvent } from './event-store.js';
import { type EventStoreHarness, countStored, createEventStoreHarness } from './testing/event-store.harness.js';
import { doeStarted, doeStartedSeries, metadataFactory } from './testing/events.factory.js';

// Real servers, a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(30_000);

describe('EventStore (real Postgres)', () => {
  let h: EventStoreHarness;
  beforeEach(async () => {
    h = await createEventStoreHarness('event_store');
  });
  afterEach(() => h?.cleanup());

  const appendTo = (streamId: string, expectedVersion: number | 'any', events: NewEvent[]) =>
    h.store.append({ streamId, expectedVersion, events }, metadataFactory());
  const versionsOf = async (streamId: string) => (await h.store.readStream(streamId)).map((e) => e.streamVersion);

  describe('optimistic concurrency', () => {
    it('lets exactly one of two concurrent appends at the same expected version win, keeping only its events', async () => {
      for (let round = 0; round < 15; round++) {
        const streamId = `run-${round}`;
        await appendTo(streamId, 0, doeStartedSeries(2));
        const a = doeStartedSeries(3, 1, 100);
        const b = doeStartedSeries(3, 1, 200);

        const outcomes = await Promise.allSettled([appendTo(streamId, 2, a), appendTo(streamId, 2, b)]);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
        const winner = outcomes[0]!.status === 'fulfilled' ? a : b;
        const stored = await h.store.readStream(streamId);
        expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
        expect(stored.slice(2).map((e) => e.data.attempt)).toEqual(winner.map((e) => e.data.attempt));
      }
    });

    it('fails the writer that waited on an uncommitted append at the same version once that append commits', async () => {
      await appendTo('run-1', 0, doeStartedSeries(1));
      let appendedInside!: () => void;
      const inside = new Promise<void>((resolve) => (appendedInside = resolve));
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));

      const first = h.store.inTransaction(async (trx) => {
        await h.store.append({ streamId: 'run-1', expectedVersion: 1, events: [doeStarted({ attempt: 10 })] }, metadataFactory(), trx);
        appendedInside();
        await firstMayCommit;
      });
      await inside;
      // The second writer blocks on the unique (stream_id, stream_version) index until the first commits.
      const second = appendTo('run-1', 1, [doeStarted({ attempt: 20 })]);
      const waiting = await waitForBlockedInsert(h);
      releaseFirst();
      await first;

      expect(waiting).toBe(true);
      await expect(second).rejects.toBeInstanceOf(ConflictError);
      expect((await h.store.readStream('run-1')).map((e) => e.data.attempt)).toEqual([1, 10]);
    });

    it('refuses an expected version ahead of the stream and writes nothing', async () => {
      await appendTo('run-1', 0, doeStartedSeries(2));

      await expect(appendTo('run-1', 3, doeStartedSeries(1))).rejects.toBeInstanceOf(ConflictError);
      await expect(appendTo('run-1', 7, doeStartedSeries(2))).rejects.toBeInstanceOf(ConflictError);
      await expect(appendTo('run-2', 1, doeStartedSeries(1))).rejects.toBeInstanceOf(ConflictError);

      expect(await versionsOf('run-1')).toEqual([1, 2]);
      expect(await versionsOf('run-2')).toEqual([]);
      expect(await countStored(h)).toBe(2);
    });

    it('refuses a stale expected version, including "must not exist yet" on an existing stream', async () => {
      await appendTo('run-1', 0, doeStartedSeries(3));

      await expect(appendTo('run-1', 1, doeStartedSeries(1))).rejects.toBeInstanceOf(ConflictError);
      await expect(appendTo('run-1', 0, doeStartedSeries(1))).rejects.toBeInstanceOf(ConflictError);

      expect(await versionsOf('run-1')).toEqual([1, 2, 3]);
    });

    it('appends every one of 10 concurrent "any" writers, at consecutive versions', async () => {
      await appendTo('run-1', 0, doeStartedSeries(1));
      const writers = Array.from({ length: 10 }, (_, w) => appendTo('run-1', 'any', doeStartedSeries(2, 1, 100 * (w + 1))));

      const results = await Promise.all(writers);

      const stored = await h.store.readStream('run-1');
      expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(results.map((r) => r.nextExpectedVersion).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => 3 + 2 * i));
      // Each writer's two events sit together, in the order it gave them.
      for (const result of results) {
        const mine = stored.filter((e) => result.eventIds.includes(e.eventId));
        expect(mine.map((e) => e.streamVersion)).toEqual([result.nextExpectedVersion - 1, result.nextExpectedVersion]);
      }
    });

    it('refuses an event id that is already stored (a retried append) without writing anything', async () => {
      const first = await appendTo('run-1', 0, doeStartedSeries(1));
      const retried = doeStarted({ eventId: first.eventIds[0] });

      await expect(appendTo('run-2', 0, [doeStarted(), retried])).rejects.toThrow(/already stored/);
      expect(await countStored(h)).toBe(1);
    });

    it('refuses to append after an event written by a transaction that began later, so relay order stays stream order', async () => {
      await appendTo('run-1', 0, doeStartedSeries(1));
      let holdsId!: () => void;
      const hasTransactionId = new Promise<void>((resolve) => (holdsId = resolve));
      let proceed!: () => void;
      const mayProceed = new Promise<void>((resolve) => (proceed = resolve));

      // This transaction gets its id first (by writing elsewhere), then appends after a newer writer.
      const older = h.store.inTransaction(async (trx) => {
        await h.store.append({ streamId: 'other-1', expectedVersion: 0, events: doeStartedSeries(1) }, metadataFactory(), trx);
        holdsId();
        await mayProceed;
        await h.store.append({ streamId: 'run-1', expectedVersion: 2, events: [doeStarted({ attempt: 30 })] }, metadataFactory(), trx);
      });
      await hasTransactionId;
      await appendTo('run-1', 1, [doeStarted({ attempt: 20 })]);
      proceed();

      await expect(older).rejects.toBeInstanceOf(ConflictError);
      expect((await h.store.readStream('run-1')).map((e) => e.data.attempt)).toEqual([1, 20]);
      expect(await versionsOf('other-1')).toEqual([]);
    });
  });

  describe('group commit', () => {
    it('commits concurrent appends together, failing only the one that conflicts', async () => {
      await appendTo('stale', 0, doeStartedSeries(2));
      const appends = Array.from({ length: 40 }, (_, i) => appendTo(`grouped-${i}`, 0, doeStartedSeries(1 + (i % 3))));
      const stale = appendTo('stale', 1, doeStartedSeries(1));

      const outcomes = await Promise.allSettled([...appends, stale]);

      expect(outcomes.slice(0, 40).every((o) => o.status === 'fulfilled')).toBe(true);
      const last = outcomes[40]!;
      expect(last.status).toBe('rejected');
      expect((last as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      for (let i = 0; i < 40; i++) expect(await versionsOf(`grouped-${i}`)).toEqual(Array.from({ length: 1 + (i % 3) }, (_, v) => v + 1));
      expect(await versionsOf('stale')).toEqual([1, 2]);
    });
  });

  describe('validation', () => {
    it('refuses metadata without a valid correlation id, naming it, and writes nothing', async () => {
      const metadata = { ...metadataFactory(), correlationId: 'not-a-uuid' };

      await expect(h.store.append({ streamId: 'run-meta', expectedVersion: 0, events: doeStartedSeries(1) }, metadata)).rejects.toThrow(
        /metadata is invalid: correlationId/,
      );
      expect(await versionsOf('run-meta')).toEqual([]);
    });

    it('refuses an invalid payload with a ValidationError naming the fields, and writes nothing', async () => {
      const invalid = { type: 'DoeStarted', data: { kitId: 0, jobId: 'not-a-uuid', attempt: 1, startedAt: new Date().toISOString() } } as unknown as NewEvent;

      const error = await appendTo('run-1', 0, [doeStarted(), invalid]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues?.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['kitId', 'runId', 'jobId']));
      expect(await countStored(h)).toBe(0);
    });

    it('refuses an unknown event type and an empty append', async () => {
      await expect(appendTo('run-1', 0, [{ type: 'NoSuchThing', data: {} } as unknown as NewEvent])).rejects.toBeInstanceOf(ValidationError);
      await expect(appendTo('run-1', 0, [])).rejects.toBeInstanceOf(ValidationError);
      expect(await countStored(h)).toBe(0);
    });

    it('refuses an event too large for the bus, which would otherwise stop the relay behind it', async () => {
      const huge: NewEvent<'DoeCompleted'> = {
        type: 'DoeCompleted',
        data: {
          ...doeStarted().data,
          completedAt: new Date().toISOString(),
          designType: 'lhs',
          pointCount: 10,
          datasetId: randomUUID(),
          dataInfo: { points: 'x'.repeat(MAX_EVENT_BYTES) },
          chain: { deckId: randomUUID(), factors: ['x1'], responses: ['y'], params: {} },
        },
      };

      await expect(appendTo('run-1', 0, [huge])).rejects.toThrow(/at most/);
      expect(await countStored(h)).toBe(0);
    });

    it('stores the validated payload, not the fields the contract does not declare', async () => {
      const event = doeStarted();
      await appendTo('run-1', 0, [{ ...event, data: { ...event.data, sneaky: true } } as NewEvent]);

      const [stored] = await h.store.readStream('run-1');
      expect(stored!.data).toEqual(event.data);
    });
  });

  describe('appendMany', () => {
    it('writes nothing at all when one of its streams conflicts', async () => {
      await appendTo('run-a', 0, doeStartedSeries(1));
      await appendTo('run-b', 0, doeStartedSeries(1));

      const attempt = h.store.appendMany(
        [
          { streamId: 'run-a', expectedVersion: 1, events: doeStartedSeries(2, 1, 10) },
          { streamId: 'run-new', expectedVersion: 0, events: doeStartedSeries(1) },
          { streamId: 'run-b', expectedVersion: 0, events: doeStartedSeries(1, 1, 10) },
        ],
        metadataFactory(),
      );

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      expect(await versionsOf('run-a')).toEqual([1]);
      expect(await versionsOf('run-new')).toEqual([]);
      expect(await versionsOf('run-b')).toEqual([1]);
    });

    it('writes every stream when none conflicts and returns each next expected version', async () => {
      await appendTo('run-a', 0, doeStartedSeries(1));

      const results = await h.store.appendMany(
        [
          { streamId: 'run-a', expectedVersion: 1, events: doeStartedSeries(2) },
          { streamId: 'run-b', expectedVersion: 'any', events: doeStartedSeries(1) },
        ],
        metadataFactory(),
      );

      expect(results.map((r) => [r.streamId, r.nextExpectedVersion])).toEqual([
        ['run-a', 3],
        ['run-b', 1],
      ]);
      expect(await h.store.streamVersion('run-a')).toBe(3);
    });
  });
});

/** True once some other session waits on a lock (the second insert blocked on the unique index). */
async function waitForBlockedInsert(h: EventStoreHarness): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query ilike '%insert into%'`.execute(h.db);
    if (rows[0]!.n > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
