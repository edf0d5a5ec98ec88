import { IllegalTransitionError } from './illegal-transition.error.js';

export const DECK_JOB_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;

export type DeckJobStatus = (typeof DECK_JOB_STATUSES)[number];

/** Statuses a job never leaves, except through a retry (a new attempt). */
export const FINISHED_DECK_JOB_STATUSES = ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const satisfies readonly DeckJobStatus[];

/** Statuses from which a retry may start a new attempt. */
export const RETRYABLE_DECK_JOB_STATUSES = ['FAILED', 'TIMEOUT', 'CANCELLED'] as const satisfies readonly DeckJobStatus[];

/** A deck-collection job as its events leave it. Timestamps are ISO-8601 strings. */
export interface DeckJobState {
  jobId: string;
  runId: string;
  kitId: number;
  status: DeckJobStatus;
  /** 1 for the first run; each retry adds one. */
  attempt: number;
  requestedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why the job failed or was cancelled. */
  reason?: string;
  /** The deck the job produced (SUCCESS only). */
  deckId?: string;
}

interface DeckJobRef {
  kitId: number;
  runId: string;
  jobId: string;
  attempt: number;
}

export interface DeckCollectionRequested {
  type: 'DeckCollectionRequested';
  data: DeckJobRef & { requestedAt: string };
}

export interface DeckCollectionStarted {
  type: 'DeckCollectionStarted';
  data: DeckJobRef & { startedAt: string };
}

export interface DeckCollectionCompleted {
  type: 'DeckCollectionCompleted';
  data: DeckJobRef & { completedAt: string; deckId: string; rowCount: number; factors: string[]; responses: string[]; params?: Record<string, unknown> };
}

export interface DeckCollectionFailed {
  type: 'DeckCollectionFailed';
  data: DeckJobRef & { failedAt: string; reason: string };
}

export interface DeckCollectionTimedOut {
  type: 'DeckCollectionTimedOut';
  data: DeckJobRef & { timedOutAt: string };
}

export interface DeckCollectionCancelled {
  type: 'DeckCollectionCancelled';
  data: DeckJobRef & { cancelledAt: string; reason: string };
}

export type DeckJobEvent =
  DeckCollectionRequested | DeckCollectionStarted | DeckCollectionCompleted | DeckCollectionFailed | DeckCollectionTimedOut | DeckCollectionCancelled;

export type DeckJobEventType = DeckJobEvent['type'];

/** What a finished collection produced. */
export interface DeckCollectionResult {
  deckId: string;
  rowCount: number;
  factors: string[];
  responses: string[];
}

export interface RequestDeckCollection {
  kitId: number;
  runId: string;
  jobId: string;
}

export const isFinished = (status: DeckJobStatus): boolean => (FINISHED_DECK_JOB_STATUSES as readonly DeckJobStatus[]).includes(status);

const refOf = (state: DeckJobState): DeckJobRef => ({ kitId: state.kitId, runId: state.runId, jobId: state.jobId, attempt: state.attempt });

const DEFAULT_REASON = 'no reason given';

const reasonOf = (reason: string): string => reason.trim() || DEFAULT_REASON;

const assertStatus = (state: DeckJobState, action: string, allowed: readonly DeckJobStatus[]): void => {
  if (!allowed.includes(state.status)) {
    throw new IllegalTransitionError(
      `cannot ${action} deck job ${state.jobId} (attempt ${state.attempt}): it is ${state.status}; allowed only when ${allowed.join(' or ')}`,
    );
  }
};

/**
 * Refuses work reported for an attempt other than the current one, e.g. a worker of attempt 1
 * finishing after a retry opened attempt 2. Call before `complete`, `fail` or `timeOut`.
 */
export const assertCurrentAttempt = (state: DeckJobState, attempt: number): void => {
  if (attempt !== state.attempt) {
    throw new IllegalTransitionError(`deck job ${state.jobId}: attempt ${attempt} is not the current attempt (${state.attempt})`);
  }
};

// ---------------------------------------------------------------------------------------------
// Decide: check the transition against the state and return the event to append.

/** Creates the job: attempt 1, PENDING. Refused when the job already exists. */
export const request = (state: DeckJobState | undefined, command: RequestDeckCollection, now: Date): DeckCollectionRequested => {
  if (state) {
    throw new IllegalTransitionError(`cannot request deck job ${state.jobId}: it already exists and is ${state.status} (attempt ${state.attempt})`);
  }
  return {
    type: 'DeckCollectionRequested',
    data: { kitId: command.kitId, runId: command.runId, jobId: command.jobId, attempt: 1, requestedAt: now.toISOString() },
  };
};

/** Starts a new attempt of a job that failed, timed out or was cancelled; its history stays in the stream. */
export const retry = (state: DeckJobState, now: Date): DeckCollectionRequested => {
  assertStatus(state, 'retry', RETRYABLE_DECK_JOB_STATUSES);
  return { type: 'DeckCollectionRequested', data: { ...refOf(state), attempt: state.attempt + 1, requestedAt: now.toISOString() } };
};

/** PENDING → RUNNING. */
export const start = (state: DeckJobState, now: Date): DeckCollectionStarted => {
  assertStatus(state, 'start', ['PENDING']);
  return { type: 'DeckCollectionStarted', data: { ...refOf(state), startedAt: now.toISOString() } };
};

/** RUNNING → SUCCESS. */
export const complete = (state: DeckJobState, result: DeckCollectionResult, now: Date): DeckCollectionCompleted => {
  assertStatus(state, 'complete', ['RUNNING']);
  return {
    type: 'DeckCollectionCompleted',
    data: {
      ...refOf(state),
      completedAt: now.toISOString(),
      deckId: result.deckId,
      rowCount: result.rowCount,
      factors: [...result.factors],
      responses: [...result.responses],
    },
  };
};

/** PENDING | RUNNING → FAILED: a job may fail before it starts (e.g. its deck cannot be read). */
export const fail = (state: DeckJobState, reason: string, now: Date): DeckCollectionFailed => {
  assertStatus(state, 'fail', ['PENDING', 'RUNNING']);
  return { type: 'DeckCollectionFailed', data: { ...refOf(state), failedAt: now.toISOString(), reason: reasonOf(reason) } };
};

/** PENDING | RUNNING → TIMEOUT: a job nobody picked up times out like one that ran too long. */
export const timeOut = (state: DeckJobState, now: Date): DeckCollectionTimedOut => {
  assertStatus(state, 'time out', ['PENDING', 'RUNNING']);
  return { type: 'DeckCollectionTimedOut', data: { ...refOf(state), timedOutAt: now.toISOString() } };
};

/** PENDING | RUNNING → CANCELLED. A finished job cannot be cancelled. */
export const cancel = (state: DeckJobState, reason: string, now: Date): DeckCollectionCancelled => {
  assertStatus(state, 'cancel', ['PENDING', 'RUNNING']);
  return { type: 'DeckCollectionCancelled', data: { ...refOf(state), cancelledAt: now.toISOString(), reason: reasonOf(reason) } };
};

// ---------------------------------------------------------------------------------------------
// Evolve: apply an event already recorded. Events are facts, so nothing is re-checked here.

export const evolve = (state: DeckJobState | undefined, event: DeckJobEvent): DeckJobState => {
  if (event.type === 'DeckCollectionRequested') {
    // The first request and every retry alike open a fresh attempt.
    const { kitId, runId, jobId, attempt, requestedAt } = event.data;
    return { jobId, runId, kitId, status: 'PENDING', attempt, requestedAt };
  }
  if (!state) {
    throw new IllegalTransitionError(`deck job ${event.data.jobId} has ${event.type} before DeckCollectionRequested`);
  }
  switch (event.type) {
    case 'DeckCollectionStarted':
      return { ...state, status: 'RUNNING', startedAt: event.data.startedAt };
    case 'DeckCollectionCompleted':
      return { ...state, status: 'SUCCESS', finishedAt: event.data.completedAt, deckId: event.data.deckId };
    case 'DeckCollectionFailed':
      return { ...state, status: 'FAILED', finishedAt: event.data.failedAt, reason: event.data.reason };
    case 'DeckCollectionTimedOut':
      return { ...state, status: 'TIMEOUT', finishedAt: event.data.timedOutAt };
    case 'DeckCollectionCancelled':
      return { ...state, status: 'CANCELLED', finishedAt: event.data.cancelledAt, reason: event.data.reason };
  }
};

/** The job's state after all its events, or `undefined` for an empty stream. */
export const foldDeckJob = (events: readonly DeckJobEvent[]): DeckJobState | undefined => events.reduce<DeckJobState | undefined>(evolve, undefined);
