import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { EventPublisher, HEADER_DEAD_LETTER_REASON, HEADER_ORIGINAL_SUBJECT } from '@vista/bus';
import { waitFor } from '@vista/testing';
import { delivered, EventFactory, type JobContext } from '../domain/testing/event.factory.js';
import { readSnapshot } from '../repositories/read-model.snapshot.js';
import { startProjector, type ProjectorHarness } from '../testing/projector.harness.js';
import { FoldLock } from './fold.lock.js';

const positionOf = async (db: Kysely<any>): Promise<number> =>
  (await sql<{ position: number }>`select position from read.projector_status`.execute(db)).rows[0]!.position;

describe('projector consumer', () => {
  let h: ProjectorHarness;
  let publisher: EventPublisher;
  const f = new EventFactory();

  const lastSequence = async () => (await h.bus.jsm.streams.info(h.bus.names.eventsStream)).state.last_seq;
  const caughtUp = async () => {
    const last = await lastSequence();
    await waitFor(async () => (await positionOf(h.db)) >= last, `the projector to reach ${last}`, 15_000);
  };
  const ready = async () => {
    const response = await fetch(`${h.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { checks: Record<string, { ok: boolean; detail?: Record<string, unknown> }> } };
  };

  beforeAll(async () => {
    h = await startProjector({ PROJECTOR_BATCH_SIZE: '100', PROJECTOR_STALL_SECONDS: '2' });
    publisher = new EventPublisher(h.bus.js, h.bus.names);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
  });

  it('folds a kit run into kit_state, state_history and deck_collection and announces the kit', async () => {
    const kitId = 101;
    const runId = randomUUID();
    const deck: JobContext = { kitId, runId, jobId: randomUUID(), attempt: 1 };
    const events = [
      f.kitRunStarted(kitId, runId),
      f.lifecycle('DeckCollectionRequested', deck),
      f.lifecycle('DeckCollectionStarted', deck),
      f.lifecycle('DeckCollectionCompleted', deck),
    ];
    const announcements: { kitId: number; position: number }[] = [];
    const sub = h.bus.nc.subscribe(`${h.bus.namespace}.view.kit.${kitId}`, {
      callback: (_err, msg) => {
        announcements.push(msg.json());
      },
    });
    const first = (await lastSequence()) + 1;

    await publisher.publishBatch(events);
    await caughtUp();

    const [, requested, started, completed] = delivered(events, first);
    const s = await readSnapshot(h.db, 'read');
    const metadataOf = (e: typeof completed) => {
      const { kitId: _k, runId: _r, jobId: _j, attempt: _a, ...detail } = e!.envelope.data as Record<string, unknown>;
      return detail;
    };
    expect(s.kit_state.filter((k) => k.kit_id === kitId)).toEqual([
      {
        kit_id: kitId,
        job_type: 'deck',
        task_name: 'deck_collection',
        job_id: deck.jobId,
        run_id: runId,
        attempt: 1,
        status: 'SUCCESS',
        current_order: 1,
        created_at: completed!.envelope.occurredAt,
        // The latest transition, whole: the job's start time is in its stage row.
        started_at: null,
        finished_at: completed!.envelope.occurredAt,
        reason: null,
        metadata: { event: 'DeckCollectionCompleted', ...metadataOf(completed) },
        position: completed!.position,
      },
    ]);
    expect(s.state_history.filter((r) => r.kit_id === kitId)).toEqual(
      [requested!, started!, completed!].map((e, i) => ({
        kit_id: kitId,
        job_type: 'deck',
        task_name: 'deck_collection',
        job_id: deck.jobId,
        run_id: runId,
        attempt: 1,
        status: ['PENDING', 'RUNNING', 'SUCCESS'][i],
        current_order: 1,
        created_at: e.envelope.occurredAt,
        reason: null,
        actor: 'service:test',
        event_id: e.envelope.eventId,
        position: e.position,
      })),
    );
    expect(s.deck_collection.filter((d) => d.kit_id === kitId)).toEqual([
      {
        job_id: deck.jobId,
        run_id: runId,
        kit_id: kitId,
        attempt: 1,
        status: 'SUCCESS',
        reason: null,
        requested_at: requested!.envelope.occurredAt,
        started_at: started!.envelope.occurredAt,
        finished_at: completed!.envelope.occurredAt,
        timeout_ms: 300_000,
        created_at: requested!.envelope.occurredAt,
        updated_at: completed!.envelope.occurredAt,
        metadata: {
          DeckCollectionRequested: metadataOf(requested),
          DeckCollectionStarted: metadataOf(started),
          DeckCollectionCompleted: metadataOf(completed),
        },
        result: { deckId: '00000000-0000-4000-8000-000000000001', rowCount: 12, factors: ['temp', 'pressure'], responses: ['yield'] },
        summary: { deckId: '00000000-0000-4000-8000-000000000001', rowCount: 12, factors: ['temp', 'pressure'], responses: ['yield'] },
        position: completed!.position,
        deck_id: '00000000-0000-4000-8000-000000000001',
        source_path: 'decks/wafer.csv',
        row_count: 12,
        factors: ['temp', 'pressure'],
        responses: ['yield'],
      },
    ]);
    expect(s.kits.find((k) => k.kit_id === kitId)).toMatchObject({ last_run_id: runId, status: 'RUNNING', current_task: 'deck_collection', runs: 1 });
    await waitFor(async () => announcements.some((a) => a.position === completed!.position), 'the view-changed announcement');
    expect(announcements.every((a) => a.kitId === kitId)).toBe(true);
    sub.unsubscribe();
  });

  it('changes nothing when an event arrives again', async () => {
    const job: JobContext = { kitId: 102, runId: randomUUID(), jobId: randomUUID(), attempt: 1 };
    const requested = f.lifecycle('DoeRequested', job);
    const started = f.lifecycle('DoeStarted', job);
    const completed = f.lifecycle('DoeCompleted', job);
    await publisher.publishBatch([requested, started, completed]);
    await caughtUp();
    const before = await readSnapshot(h.db, 'read');

    // Copies published again past the stream's duplicate window get new positions: the oldest first.
    const encoder = new TextEncoder();
    for (const copy of [started, requested, completed]) {
      await h.bus.js.publish(h.bus.names.eventSubject('doe', job.kitId, copy.type), encoder.encode(JSON.stringify(copy)), { msgID: randomUUID() });
    }
    await publisher.publishBatch([requested, completed]);
    await caughtUp();

    expect(await readSnapshot(h.db, 'read')).toEqual(before);
  });

  it('dead-letters a malformed message with its reason and goes on folding', async () => {
    const subject = h.bus.names.eventSubject('deck', 1, 'DeckCollectionStarted');
    const encoder = new TextEncoder();
    const wrongPayload = f.lifecycle('DeckCollectionStarted', { kitId: 1, runId: randomUUID(), jobId: randomUUID(), attempt: 1 });
    delete (wrongPayload.data as Record<string, unknown>).jobId;
    await h.bus.js.publish(subject, encoder.encode('{ not json'));
    await h.bus.js.publish(subject, encoder.encode(JSON.stringify(wrongPayload)));
    const next: JobContext = { kitId: 103, runId: randomUUID(), jobId: randomUUID(), attempt: 1 };
    await publisher.publishBatch([f.lifecycle('DeckCollectionRequested', next)]);

    await waitFor(
      async () => (await sql`select 1 from read.kit_state where kit_id = 103`.execute(h.db)).rows.length === 1,
      'the next valid event to be folded',
    );
    const dlq = await waitFor(async () => {
      const info = await h.bus.jsm.streams.info(h.bus.names.deadLetterStream);
      return info.state.messages >= 2 ? info : undefined;
    }, 'two dead letters');
    const letters = await Promise.all(
      [dlq.state.first_seq, dlq.state.first_seq + 1].map((seq) => h.bus.jsm.streams.getMessage(h.bus.names.deadLetterStream, { seq })),
    );
    expect(letters.map((l) => l!.header.get(HEADER_ORIGINAL_SUBJECT))).toEqual([subject, subject]);
    expect(letters[0]!.header.get(HEADER_DEAD_LETTER_REASON)).toMatch(/not JSON/);
    expect(letters[1]!.header.get(HEADER_DEAD_LETTER_REASON)).toMatch(/jobId/);
    expect(letters[1]!.subject).toBe(h.bus.names.deadLetterSubject('projector', 'DeckCollectionStarted'));
  });

  it('is ready with its lag, and not ready while a backlog makes no progress', async () => {
    await caughtUp();
    await waitFor(async () => (await ready()).body.checks.projector?.detail?.lagEvents === 0, 'a heartbeat without lag');
    const fine = await ready();
    expect(fine.status).toBe(200);
    expect(fine.body.checks.projector!.detail).toMatchObject({ lagEvents: 0, lagSeconds: 0, position: await positionOf(h.db) });
    expect(fine.body.checks.projector!.detail).toHaveProperty('heartbeatAt');
    expect(fine.body.checks.projector!.detail).toHaveProperty('lastProgressAt');

    // Hold the fold (as a rebuild's swap does) while events wait.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = h.app.get(FoldLock).run(() => held);
    try {
      await publisher.publishBatch([f.lifecycle('DoeRequested', { kitId: 104, runId: randomUUID(), jobId: randomUUID(), attempt: 1 })]);

      const stalled = await waitFor(
        async () => {
          const r = await ready();
          return r.status === 503 ? r : undefined;
        },
        'readiness to report the stall',
        10_000,
      );
      expect(stalled.body.checks.projector).toMatchObject({
        ok: false,
        detail: { reason: expect.stringMatching(/^stalled: \d+ events waiting and no progress for \d+ s$/) },
      });
      expect(stalled.body.checks.projector!.detail!.lagEvents).toBeGreaterThanOrEqual(1);
      const status = (await sql<{ lag_events: number; lag_seconds: number }>`select lag_events, lag_seconds from read.projector_status`.execute(h.db)).rows[0]!;
      expect(status.lag_events).toBeGreaterThanOrEqual(1);
      expect(status.lag_seconds).toBeGreaterThan(1);
    } finally {
      release();
      await holding;
    }
    await waitFor(async () => (await ready()).status === 200, 'readiness to recover');
  });
});
