import { describe, it, expect } from '@jest/globals';
import {
  assertCurrentAttempt,
  cancel,
  complete,
  evolve,
  fail,
  foldDeckJob,
  request,
  retry,
  start,
  timeOut,
  type DeckJobState,
  type DeckJobStatus,
} from './deck-job.js';
import { IllegalTransitionError } from './illegal-transition.error.js';
import { DeckJobFactory } from './testing/deck-job.factory.js';

const now = new Date('2025-03-01T10:00:00.000Z');
const later = new Date('2025-03-01T10:05:00.000Z');
const ref = { kitId: 42, runId: DeckJobFactory.create().runId, jobId: DeckJobFactory.create().jobId };

/** Applies a decision to a state and returns the state after its event. */
const after = (state: DeckJobState, decide: (state: DeckJobState) => Parameters<typeof evolve>[1]): DeckJobState => evolve(state, decide(state));

const transitionError = (act: () => unknown): IllegalTransitionError => {
  try {
    act();
  } catch (error) {
    if (error instanceof IllegalTransitionError) return error;
    throw error;
  }
  throw new Error('expected the transition to be refused');
};

describe('deck job lifecycle', () => {
  it('requests a new job as attempt 1, PENDING', () => {
    const event = request(undefined, ref, now);

    expect(event).toEqual({ type: 'DeckCollectionRequested', data: { ...ref, attempt: 1, requestedAt: '2025-03-01T10:00:00.000Z' } });
    expect(evolve(undefined, event)).toEqual({ ...ref, status: 'PENDING', attempt: 1, requestedAt: '2025-03-01T10:00:00.000Z' });
  });

  it('refuses to request a job that already exists', () => {
    expect(() => request(DeckJobFactory.create(), ref, now)).toThrow(IllegalTransitionError);
  });

  it('starts a pending job', () => {
    const event = start(DeckJobFactory.create(), now);

    expect(event).toEqual({ type: 'DeckCollectionStarted', data: { ...ref, attempt: 1, startedAt: '2025-03-01T10:00:00.000Z' } });
    expect(evolve(DeckJobFactory.create(), event)).toMatchObject({ status: 'RUNNING', startedAt: '2025-03-01T10:00:00.000Z' });
  });

  it('completes a running job with the deck it produced', () => {
    const running = DeckJobFactory.create({ status: 'RUNNING', startedAt: now.toISOString() });

    const event = complete(running, DeckJobFactory.result(), later);

    expect(event).toEqual({
      type: 'DeckCollectionCompleted',
      data: { ...ref, attempt: 1, completedAt: '2025-03-01T10:05:00.000Z', deckId: 'deck-7', rowCount: 120, factors: ['x1', 'x2'], responses: ['y'] },
    });
    expect(evolve(running, event)).toMatchObject({ status: 'SUCCESS', finishedAt: '2025-03-01T10:05:00.000Z', deckId: 'deck-7' });
  });

  it('fails a running job with its reason', () => {
    const running = DeckJobFactory.create({ status: 'RUNNING' });

    const event = fail(running, 'deck has 1 data row', later);

    expect(event.data).toMatchObject({ failedAt: '2025-03-01T10:05:00.000Z', reason: 'deck has 1 data row', attempt: 1 });
    expect(evolve(running, event)).toMatchObject({ status: 'FAILED', reason: 'deck has 1 data row', finishedAt: '2025-03-01T10:05:00.000Z' });
  });

  it('fails a job that could not be started', () => {
    expect(after(DeckJobFactory.create(), (state) => fail(state, 'source file missing', now)).status).toBe('FAILED');
  });

  it('times out a running job and a job nobody picked up', () => {
    for (const status of ['RUNNING', 'PENDING'] as const) {
      const event = timeOut(DeckJobFactory.create({ status }), later);

      expect(event).toEqual({ type: 'DeckCollectionTimedOut', data: { ...ref, attempt: 1, timedOutAt: '2025-03-01T10:05:00.000Z' } });
      expect(evolve(DeckJobFactory.create({ status }), event).status).toBe('TIMEOUT');
    }
  });

  it('cancels a pending or running job with its reason', () => {
    for (const status of ['PENDING', 'RUNNING'] as const) {
      const cancelled = after(DeckJobFactory.create({ status }), (state) => cancel(state, 'stopped by operator', later));

      expect(cancelled).toMatchObject({ status: 'CANCELLED', reason: 'stopped by operator', finishedAt: '2025-03-01T10:05:00.000Z' });
    }
  });

  it('records a placeholder when a reason is blank', () => {
    expect(cancel(DeckJobFactory.create(), '  ', now).data.reason).toBe('no reason given');
  });

  it('refuses to complete a cancelled job', () => {
    const error = transitionError(() => complete(DeckJobFactory.create({ status: 'CANCELLED' }), DeckJobFactory.result(), now));

    expect(error.code).toBe('conflict');
    expect(error.name).toBe('IllegalTransitionError');
    expect(error.message).toMatch(/cannot complete deck job .+ \(attempt 1\): it is CANCELLED; allowed only when RUNNING/);
  });

  it('refuses to cancel a finished job', () => {
    for (const status of ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const) {
      expect(() => cancel(DeckJobFactory.create({ status }), 'too late', now)).toThrow(IllegalTransitionError);
    }
  });

  it('refuses to complete a job that never started', () => {
    expect(() => complete(DeckJobFactory.create({ status: 'PENDING' }), DeckJobFactory.result(), now)).toThrow(IllegalTransitionError);
  });

  it('refuses to start a job twice', () => {
    expect(() => start(DeckJobFactory.create({ status: 'RUNNING' }), now)).toThrow(IllegalTransitionError);
  });

  it('allows exactly the transitions of the lifecycle', () => {
    const statuses: DeckJobStatus[] = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'];
    const decisions = {
      start: (state: DeckJobState) => start(state, now),
      complete: (state: DeckJobState) => complete(state, DeckJobFactory.result(), now),
      fail: (state: DeckJobState) => fail(state, 'broken', now),
      timeOut: (state: DeckJobState) => timeOut(state, now),
      cancel: (state: DeckJobState) => cancel(state, 'stop', now),
      retry: (state: DeckJobState) => retry(state, now),
    };
    const allowed = (decide: (state: DeckJobState) => unknown, status: DeckJobStatus): boolean => {
      try {
        decide(DeckJobFactory.create({ status }));
        return true;
      } catch (error) {
        if (error instanceof IllegalTransitionError) return false;
        throw error;
      }
    };

    const table = Object.fromEntries(Object.entries(decisions).map(([name, decide]) => [name, statuses.filter((status) => allowed(decide, status))]));

    expect(table).toEqual({
      start: ['PENDING'],
      complete: ['RUNNING'],
      fail: ['PENDING', 'RUNNING'],
      timeOut: ['PENDING', 'RUNNING'],
      cancel: ['PENDING', 'RUNNING'],
      retry: ['FAILED', 'TIMEOUT', 'CANCELLED'],
    });
  });
});

describe('deck job retries', () => {
  it('opens a new pending attempt after a failure, clearing the previous outcome', () => {
    const failed = DeckJobFactory.create({ status: 'FAILED', attempt: 1, startedAt: now.toISOString(), finishedAt: now.toISOString(), reason: 'broken' });

    const event = retry(failed, later);

    expect(event).toEqual({ type: 'DeckCollectionRequested', data: { ...ref, attempt: 2, requestedAt: '2025-03-01T10:05:00.000Z' } });
    expect(evolve(failed, event)).toEqual({ ...ref, status: 'PENDING', attempt: 2, requestedAt: '2025-03-01T10:05:00.000Z' });
  });

  it('refuses to retry a job that succeeded', () => {
    expect(() => retry(DeckJobFactory.create({ status: 'SUCCESS' }), now)).toThrow(IllegalTransitionError);
  });

  it('refuses work reported for an attempt that is no longer current', () => {
    const state = DeckJobFactory.create({ status: 'RUNNING', attempt: 2 });

    expect(() => assertCurrentAttempt(state, 1)).toThrow(/attempt 1 is not the current attempt \(2\)/);
    expect(() => assertCurrentAttempt(state, 2)).not.toThrow();
  });
});

describe('folding a deck job stream', () => {
  it('rebuilds the state of a job that failed, was retried and succeeded', () => {
    const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute));
    const events: Parameters<typeof evolve>[1][] = [];
    const apply = (decide: (state: DeckJobState | undefined) => Parameters<typeof evolve>[1]) => {
      const state = foldDeckJob(events);
      events.push(decide(state));
    };

    apply((state) => request(state, ref, t(0)));
    apply((state) => start(state as DeckJobState, t(1)));
    apply((state) => fail(state as DeckJobState, 'source unreachable', t(2)));
    apply((state) => retry(state as DeckJobState, t(3)));
    apply((state) => start(state as DeckJobState, t(4)));
    apply((state) => complete(state as DeckJobState, DeckJobFactory.result({ rowCount: 500 }), t(5)));

    expect(events.map((event) => `${event.type}#${event.data.attempt}`)).toEqual([
      'DeckCollectionRequested#1',
      'DeckCollectionStarted#1',
      'DeckCollectionFailed#1',
      'DeckCollectionRequested#2',
      'DeckCollectionStarted#2',
      'DeckCollectionCompleted#2',
    ]);
    expect(foldDeckJob(events)).toEqual({
      ...ref,
      status: 'SUCCESS',
      attempt: 2,
      requestedAt: t(3).toISOString(),
      startedAt: t(4).toISOString(),
      finishedAt: t(5).toISOString(),
      deckId: 'deck-7',
    });
  });

  it('gives no state for an empty stream', () => {
    expect(foldDeckJob([])).toBeUndefined();
  });

  it('refuses a stream that does not begin with a request', () => {
    const started = start(DeckJobFactory.create(), now);

    expect(() => evolve(undefined, started)).toThrow(/has DeckCollectionStarted before DeckCollectionRequested/);
  });
});
