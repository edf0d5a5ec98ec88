import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DeliveredEvent } from '@vista/contracts';
import { InMemoryReadModel, type ReadModelSnapshot } from './in-memory-read-model.js';
import { foldEvents } from './read-model.fold.js';
import { delivered, EventFactory, type JobContext } from './testing/event.factory.js';
import { UnfoldableEventError } from './unfoldable-event.error.js';

type Check = (snapshot: ReadModelSnapshot) => void;

/** given / when / then over the in-memory read model, which applies batches as the repository does. */
const given = (...batches: DeliveredEvent<object>[][]) => ({
  when: (...more: DeliveredEvent<object>[][]) => ({
    then: (...checks: Check[]) => {
      const model = new InMemoryReadModel();
      for (const batch of [...batches, ...more]) model.apply(batch);
      const snapshot = model.snapshot();
      for (const check of checks) check(snapshot);
      return snapshot;
    },
  }),
});

const job = (over: Partial<JobContext> = {}): JobContext => ({ kitId: 42, runId: randomUUID(), jobId: randomUUID(), attempt: 1, ...over });

/** A small seeded generator, so a shuffled order is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function shuffledBatches<T>(items: readonly T[], seed: number): T[][] {
  const random = seeded(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  const batches: T[][] = [];
  while (copy.length > 0) batches.push(copy.splice(0, 1 + Math.floor(random() * 7)));
  return batches;
}

describe('read model fold', () => {
  it('records one history row per transition and the latest state of the task', () => {
    const f = new EventFactory();
    const deck = job();
    const [requested, started, completed] = delivered([
      f.lifecycle('DeckCollectionRequested', deck),
      f.lifecycle('DeckCollectionStarted', deck),
      f.lifecycle('DeckCollectionCompleted', deck),
    ]);

    given([requested!])
      .when([started!, completed!])
      .then((s) => {
        expect(s.state_history.map((h) => [h.status, h.position])).toEqual([
          ['PENDING', 1],
          ['RUNNING', 2],
          ['SUCCESS', 3],
        ]);
        expect(s.kit_state).toEqual([
          {
            kit_id: 42,
            job_type: 'deck',
            task_name: 'deck_collection',
            job_id: deck.jobId,
            run_id: deck.runId,
            attempt: 1,
            status: 'SUCCESS',
            current_order: 1,
            created_at: completed!.envelope.occurredAt,
            // The latest transition, whole: the job's start time is in its stage row (below).
            started_at: null,
            finished_at: completed!.envelope.occurredAt,
            reason: null,
            metadata: expect.objectContaining({ event: 'DeckCollectionCompleted', rowCount: 12 }),
            position: 3,
          },
        ]);
        expect(s.deck_collection).toEqual([
          expect.objectContaining({
            job_id: deck.jobId,
            status: 'SUCCESS',
            source_path: 'decks/wafer.csv',
            deck_id: '00000000-0000-4000-8000-000000000001',
            row_count: 12,
            factors: ['temp', 'pressure'],
            requested_at: requested!.envelope.occurredAt,
            started_at: started!.envelope.occurredAt,
            finished_at: completed!.envelope.occurredAt,
            timeout_ms: 300_000,
            created_at: requested!.envelope.occurredAt,
            updated_at: completed!.envelope.occurredAt,
            position: 3,
          }),
        ]);
        expect(Object.keys(s.deck_collection[0]!.metadata)).toEqual(['DeckCollectionRequested', 'DeckCollectionStarted', 'DeckCollectionCompleted']);
      });
  });

  it('ignores a redelivered older event', () => {
    const f = new EventFactory();
    const doe = job();
    const [started, completed] = delivered([f.lifecycle('DoeStarted', doe), f.lifecycle('DoeCompleted', doe)]);

    given([started!, completed!])
      .when([started!])
      .then((s) => {
        expect(s.kit_state).toEqual([expect.objectContaining({ kit_id: 42, job_type: 'doe', status: 'SUCCESS', position: 2 })]);
        expect(s.state_history).toHaveLength(2);
      });
  });

  it('ignores a re-published copy of an applied event at a later position', () => {
    const f = new EventFactory();
    const doe = job();
    const events = delivered([f.lifecycle('DoeStarted', doe), f.lifecycle('DoeCompleted', doe)]);
    const before = given(events).when().then();

    given(events)
      .when([{ envelope: events[0]!.envelope, position: 3 }])
      .then((s) => expect(s).toEqual(before));
  });

  it('folds a batch into one row per key, keeping the highest position', () => {
    const f = new EventFactory();
    const deck = job();
    const changes = foldEvents(
      delivered([
        f.lifecycle('DeckCollectionCompleted', deck),
        f.lifecycle('DeckCollectionRequested', deck),
        f.lifecycle('DeckCollectionStarted', deck),
      ]).reverse(),
    );

    expect(changes.rows.kit_state).toHaveLength(1);
    expect(changes.rows.kit_state[0]).toMatchObject({ status: 'RUNNING', position: 3 });
    expect(changes.rows.deck_collection).toHaveLength(1);
    expect(changes.rows.kits).toEqual([expect.objectContaining({ kit_id: 42, status: 'RUNNING', current_task: 'deck_collection', position: 3 })]);
    expect(changes.changedKits).toEqual(new Map([[42, 3]]));
  });

  it('gives the same read model whatever order and batching the events come in', () => {
    const f = new EventFactory();
    const envelopes = [
      ...f.kitRun({ kitId: 1 }),
      ...f.kitRun({ kitId: 2, stopAt: { task: 'training', ending: 'FAILED' } }),
      ...f.kitRun({ kitId: 1, stopAt: { task: 'doe', ending: 'CANCELLED' } }),
      ...f.kitRun({ kitId: 3, stopAt: { task: 'optimize', ending: 'TIMEOUT' } }),
      f.deckIngested(),
    ];
    // Controls and logs of a run: a stop, a retry, another stop, and log lines of its jobs.
    const controlled = f.kitRun({ kitId: 4, stopAt: { task: 'doe', ending: 'CANCELLED' } });
    const runId = controlled[0]!.data.runId as string;
    const { kitId, jobId, attempt } = controlled.find((e) => e.type === 'DoeRequested')!.data as unknown as JobContext;
    const doe: JobContext = { kitId, runId, jobId, attempt };
    envelopes.push(
      ...controlled,
      f.kitRunStopped(4, runId, 'wrong deck'),
      f.jobLogged(doe, 'doe', [{ message: 'design: 20 points' }, { message: 'cancelled', level: 'warn' }]),
      f.kitRunRetried(4, runId, 'deck fixed'),
      f.lifecycle('DoeRequested', { ...doe, attempt: 2 }),
      f.jobLogged({ ...doe, attempt: 2 }, 'doe', [{ message: 'design: 20 points, again' }]),
      f.kitRunStopped(4, runId, 'changed my mind'),
    );
    const events = delivered(envelopes);
    const inOrder = given(events)
      .when()
      .then((s) => {
        expect(s.runs.find((r) => r.run_id === runId)).toMatchObject({ status: 'RUNNING', last_control: { action: 'stop', reason: 'changed my mind' } });
        expect(s.job_logs).toHaveLength(3);
      });

    for (const seed of [1, 2, 3, 4, 5]) {
      const snapshot = given(...shuffledBatches(events, seed))
        .when()
        .then();
      expect(snapshot).toEqual(inOrder);
    }
  });

  it("gives the same kit_state in any order when an older job's late event lands between a newer job's events", () => {
    const f = new EventFactory();
    const older = job();
    const newer = job();
    // The older job's cancellation was published late: its position falls inside the newer job's life.
    const events = delivered([
      f.lifecycle('DeckCollectionRequested', older),
      f.lifecycle('DeckCollectionStarted', older),
      f.lifecycle('DeckCollectionRequested', newer),
      f.lifecycle('DeckCollectionStarted', newer),
      f.lifecycle('DeckCollectionCancelled', older),
      f.lifecycle('DeckCollectionCompleted', newer),
    ]);
    const inOrder = given(events)
      .when()
      .then((s) => {
        expect(s.kit_state).toEqual([expect.objectContaining({ job_id: newer.jobId, status: 'SUCCESS', position: 6 })]);
      });

    for (let seed = 1; seed <= 20; seed++) {
      expect(
        given(...shuffledBatches(events, seed))
          .when()
          .then(),
      ).toEqual(inOrder);
    }
  });

  it('ends the run FAILED with the reason when a stage fails', () => {
    const f = new EventFactory();
    given(delivered(f.kitRun({ kitId: 7, stopAt: { task: 'scaling', ending: 'FAILED' } })))
      .when()
      .then((s) => {
        expect(s.kits).toEqual([expect.objectContaining({ kit_id: 7, status: 'FAILED', current_task: 'scaling', current_order: 4, runs: 1 })]);
        expect(s.runs).toEqual([expect.objectContaining({ status: 'FAILED', params: { goal: 'minimize' }, source_path: null })]);
        expect(s.kit_state.find((k) => k.task_name === 'scaling')).toMatchObject({ status: 'FAILED', reason: 'the deck has a constant response' });
      });
  });

  it('says RUNNING after a non-final stage succeeds and SUCCESS only when optimize succeeds', () => {
    const f = new EventFactory();
    const run = f.kitRun({ kitId: 9 });
    const untilTest = run.slice(0, run.findIndex((e) => e.type === 'MlTestCompleted') + 1);

    given(delivered(untilTest))
      .when()
      .then((s) => expect(s.kits[0]).toMatchObject({ status: 'RUNNING', current_task: 'test', current_order: 6 }));
    given(delivered(run))
      .when()
      .then((s) => expect(s.kits[0]).toMatchObject({ status: 'SUCCESS', current_task: 'optimize', current_order: 7 }));
  });

  it('counts the runs of a kit and points it at the last one', () => {
    const f = new EventFactory();
    const first = f.kitRun({ kitId: 5, stopAt: { task: 'doe', ending: 'FAILED' } });
    const secondRunId = randomUUID();
    const second = f.kitRun({ kitId: 5, runId: secondRunId, stopAt: { task: 'deck_collection', ending: 'RUNNING' } });

    given(delivered(first))
      .when(delivered(second, first.length + 1))
      .then((s) => {
        expect(s.kits).toEqual([
          expect.objectContaining({ kit_id: 5, runs: 2, last_run_id: secondRunId, status: 'RUNNING', created_at: first[0]!.occurredAt }),
        ]);
        expect(s.kit_state.find((k) => k.task_name === 'doe')).toMatchObject({ status: 'FAILED' });
        expect(s.kit_state.find((k) => k.task_name === 'deck_collection')).toMatchObject({ run_id: secondRunId, status: 'RUNNING' });
      });
  });

  it("drops a previous job's times when a retry begins", () => {
    const f = new EventFactory();
    const first = job();
    const retry = job({ runId: first.runId, attempt: 2 });
    given(
      delivered([f.lifecycle('DoeRequested', first), f.lifecycle('DoeStarted', first), f.lifecycle('DoeFailed', first), f.lifecycle('DoeRequested', retry)]),
    )
      .when()
      .then((s) => {
        expect(s.kit_state).toEqual([
          expect.objectContaining({ job_id: retry.jobId, attempt: 2, status: 'PENDING', started_at: null, finished_at: null, reason: null }),
        ]);
        expect(s.doe_step.map((d) => [d.attempt, d.status])).toEqual(
          [first.jobId, retry.jobId].sort().map((id) => (id === first.jobId ? [1, 'FAILED'] : [2, 'PENDING'])),
        );
      });
  });

  it('keeps one ml_step row per step of the ML job, in chain order', () => {
    const f = new EventFactory();
    given(delivered(f.kitRun({ kitId: 3 })))
      .when()
      .then((s) => {
        expect(s.ml_step.map((m) => [m.step_order, m.step_name, m.status]).sort()).toEqual([
          [1, 'preprocess', 'SUCCESS'],
          [2, 'scaling', 'SUCCESS'],
          [3, 'training', 'SUCCESS'],
          [4, 'test', 'SUCCESS'],
        ]);
        expect(s.doe_step[0]).toMatchObject({ data_info: { rows: 20, columns: 3 }, status: 'SUCCESS' });
        expect(s.optimize_step[0]).toMatchObject({ status: 'SUCCESS' });
        expect(s.models).toEqual([expect.objectContaining({ kit_id: 3, algorithm: 'ridge', r2: 0.91 })]);
        expect(s.folded_events.map((e) => e.type)).toEqual(['KitRunStarted', 'ModelRegistered']);
      });
  });

  it("keeps attempt 1's row when attempt 2 of the same doe job begins", () => {
    const f = new EventFactory();
    const first = job();
    const second = { ...first, attempt: 2 };
    const attempt1 = [f.lifecycle('DoeRequested', first), f.lifecycle('DoeStarted', first), f.lifecycle('DoeFailed', first)];
    const attempt2 = [f.lifecycle('DoeRequested', second), f.lifecycle('DoeStarted', second)];

    given(delivered(attempt1))
      .when(delivered(attempt2, attempt1.length + 1))
      .then((s) => {
        expect(s.doe_step.map((d) => [d.job_id, d.attempt, d.status, d.reason])).toEqual([
          [first.jobId, 1, 'FAILED', 'the deck has a constant response'],
          [first.jobId, 2, 'RUNNING', null],
        ]);
        expect(s.doe_step[0]).toMatchObject({
          requested_at: attempt1[0]!.occurredAt,
          started_at: attempt1[1]!.occurredAt,
          finished_at: attempt1[2]!.occurredAt,
        });
        expect(s.doe_step[1]).toMatchObject({ requested_at: attempt2[0]!.occurredAt, started_at: attempt2[1]!.occurredAt, finished_at: null });
        expect(Object.keys(s.doe_step[1]!.metadata)).toEqual(['DoeRequested', 'DoeStarted']);
        expect(s.kit_state).toEqual([expect.objectContaining({ job_id: first.jobId, attempt: 2, status: 'RUNNING' })]);
        expect(s.state_history.map((h) => [h.attempt, h.status])).toEqual([
          [1, 'PENDING'],
          [1, 'RUNNING'],
          [1, 'FAILED'],
          [2, 'PENDING'],
          [2, 'RUNNING'],
        ]);
      });
  });

  it('keeps one ml_step row per attempt and step when the ML job is retried', () => {
    const f = new EventFactory();
    const first = job();
    const second = { ...first, attempt: 2 };
    given(
      delivered([
        f.lifecycle('MlStepRequested', first, { step: 'preprocess' }),
        f.lifecycle('MlPreprocessCompleted', first),
        f.lifecycle('MlStepRequested', first, { step: 'scaling', stepOrder: 2 }),
        f.lifecycle('MlStepFailed', first, { step: 'scaling' }),
        f.lifecycle('MlStepRequested', second, { step: 'preprocess' }),
      ]),
    )
      .when()
      .then((s) =>
        expect(s.ml_step.map((m) => [m.attempt, m.step_name, m.status])).toEqual([
          [1, 'preprocess', 'SUCCESS'],
          [1, 'scaling', 'FAILED'],
          [2, 'preprocess', 'PENDING'],
        ]),
      );
  });

  it('folds the lines of a job log once, whatever is redelivered or re-published', () => {
    const f = new EventFactory();
    const doe = job();
    const logged = f.jobLogged(doe, 'doe', [
      { message: 'design: latin hypercube, 20 points', task: 'doe' },
      { message: 'labelling by interpolator' },
      { message: '2 points outside the deck range', level: 'warn' },
    ]);
    const [event] = delivered([logged], 5);

    given([event!])
      .when([event!], [{ envelope: logged, position: 9 }])
      .then((s) => {
        expect(s.job_logs).toEqual([
          {
            event_id: logged.eventId,
            seq: 0,
            job_id: doe.jobId,
            attempt: 1,
            job_type: 'doe',
            kit_id: 42,
            run_id: doe.runId,
            at: (logged.data.lines as { at: string }[])[0]!.at,
            level: 'info',
            task: 'doe',
            message: 'design: latin hypercube, 20 points',
            position: 5,
          },
          expect.objectContaining({ seq: 1, task: null, message: 'labelling by interpolator', position: 5 }),
          expect.objectContaining({ seq: 2, level: 'warn', message: '2 points outside the deck range', position: 5 }),
        ]);
        expect(s.folded_events).toEqual([{ event_id: logged.eventId, type: 'JobLogged', position: 5 }]);
        expect(s.kits).toEqual([]);
      });
  });

  it('records a registered model with its hyperparameters, settings and lineage', () => {
    const f = new EventFactory();
    const ml = job();
    const modelId = randomUUID();
    const registered = f.modelRegistered(ml, modelId);
    given(delivered([registered]))
      .when()
      .then((s) =>
        expect(s.models).toEqual([
          {
            model_id: modelId,
            model_version: 1,
            kit_id: 42,
            run_id: ml.runId,
            algorithm: 'ridge',
            deck_id: ml.jobId,
            dataset_id: ml.jobId,
            metrics: { rmse: 0.5 },
            r2: 0.91,
            hyperparameters: { alpha: 0.001 },
            params: { scaling: 'standard' },
            factors: ['x1', 'x2'],
            response: 'y',
            lineage: { deckId: ml.jobId, datasetId: ml.jobId, designType: 'latin-hypercube' },
            artifact_digest: 'sha256:0',
            registered_at: registered.data.registeredAt,
            position: 1,
          },
        ]),
      );
  });

  it("records a stop and a retry as the run's last control, leaving its status and jobs to the stages", () => {
    const f = new EventFactory();
    const run = f.kitRun({ kitId: 8, stopAt: { task: 'doe', ending: 'RUNNING' } });
    const runId = run[0]!.data.runId as string;
    const stopped = f.kitRunStopped(8, runId, 'wrong deck', 'user:ada');
    const retried = f.kitRunRetried(8, runId, 'deck fixed', 'user:grace');

    const before = given(delivered(run)).when().then();
    given(delivered(run))
      .when(delivered([stopped], run.length + 1))
      .then((s) => {
        expect(s.runs).toEqual([
          {
            ...before.runs[0],
            last_control: { action: 'stop', at: stopped.data.stoppedAt, reason: 'wrong deck', actor: 'user:ada', position: run.length + 1 },
          },
        ]);
        expect(s.kit_state).toEqual(before.kit_state);
        expect(s.doe_step).toEqual(before.doe_step);
        expect(s.kits).toEqual(before.kits);
      });
    // The newest control wins, also when the older one is applied last.
    given(delivered([retried], run.length + 2))
      .when(delivered(run), delivered([stopped], run.length + 1))
      .then((s) =>
        expect(s.runs).toEqual([
          {
            ...before.runs[0],
            last_control: { action: 'retry', at: retried.data.retriedAt, reason: 'deck fixed', actor: 'user:grace', position: run.length + 2 },
          },
        ]),
      );
  });

  it('says which kit a control changed', () => {
    const f = new EventFactory();
    const runId = randomUUID();
    const changes = foldEvents(delivered([f.kitRunStopped(12, runId)], 30));
    expect(changes.changedKits).toEqual(new Map([[12, 30]]));
    expect(changes.rows.runs).toEqual([expect.objectContaining({ run_id: runId, position: 0, last_control: expect.objectContaining({ position: 30 }) })]);
  });

  it('stores an ingested deck with its statistics', () => {
    const f = new EventFactory();
    const deckId = randomUUID();
    given(delivered([f.deckIngested(deckId, { groundTruth: 's3://truth/wafer' })]))
      .when()
      .then((s) =>
        expect(s.decks).toEqual([
          expect.objectContaining({
            deck_id: deckId,
            dataset_type: 'Vector',
            row_count: 12,
            ground_truth: 's3://truth/wafer',
            statistics: { temp: { min: 1, max: 9 } },
          }),
        ]),
      );
  });

  it("gives the same users, role requests and model access in any order, each role and field at its newest event's state", () => {
    const f = new EventFactory();
    const e = (type: Parameters<EventFactory['envelope']>[0], data: object) => {
      f.tick();
      return f.envelope(type, data as never);
    };
    const [userId, admin, requestId, setupModelId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const events = delivered([
      e('UserRegistered', { userId, username: 'cy', name: 'Cy', email: 'cy@example.com', source: 'sso' }),
      e('RoleRequested', { requestId, userId, role: 'logic.model-setup', reason: 'models' }),
      e('RoleRequestDecided', { requestId, userId, role: 'logic.model-setup', decision: 'approved', reason: 'ok', decidedBy: admin }),
      e('RoleGranted', { userId, role: 'logic.model-setup', requestId, grantedBy: admin }),
      e('UserUpdated', { userId, name: 'Cyril' }),
      e('RoleGranted', { userId, role: 'logic.general', grantedBy: admin }),
      e('ModelAccessGranted', { setupModelId, userId, requestId: randomUUID(), grantedBy: admin }),
      e('RoleRevoked', { userId, role: 'logic.model-setup', reason: 'moved on', revokedBy: admin }),
      e('ModelAccessRevoked', { setupModelId, userId, reason: 'moved on', revokedBy: admin }),
      e('UserUpdated', { userId, email: null }),
      e('UserDeactivated', { userId, reason: 'left' }),
    ]);
    const inOrder = given(events)
      .when()
      .then((s) => {
        expect(s.users).toEqual([
          expect.objectContaining({
            username: 'cy',
            profile: { name: { value: 'Cyril', position: 5 }, email: { value: null, position: 10 } },
            roles: {
              'logic.model-setup': expect.objectContaining({ held: false, by: admin, reason: 'moved on', position: 8 }),
              'logic.general': expect.objectContaining({ held: true, by: admin, position: 6 }),
            },
            deactivation: expect.objectContaining({ reason: 'left', position: 11 }),
            registered_position: 1,
            position: 11,
          }),
        ]);
        expect(s.role_requests).toEqual([expect.objectContaining({ request_id: requestId, reason: 'models', status: 'approved', decided_by: admin })]);
        expect(s.model_access).toEqual([expect.objectContaining({ status: 'revoked', granted: expect.objectContaining({ position: 7 }) })]);
        expect(s.deactivated_users).toEqual([expect.objectContaining({ user_id: userId, position: 11 })]);
      });

    for (let seed = 1; seed <= 20; seed++) {
      expect(
        given(...shuffledBatches(events, seed))
          .when()
          .then(),
      ).toEqual(inOrder);
    }
  });

  it('refuses an event whose timestamp cannot be read', () => {
    const f = new EventFactory();
    const event = f.lifecycle('DoeStarted', job(), { startedAt: 'soon' });
    expect(() => foldEvents(delivered([event]))).toThrow(UnfoldableEventError);
  });
});
