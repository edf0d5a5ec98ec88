import { randomUUID } from 'node:crypto';
import type { DeliveredEvent, EventEnvelope, EventName, JobStatus, JobType, LogLevel, PayloadOf, TaskName } from '@vista/contracts';
import { findEvent, ML_STEPS } from '@vista/contracts';

/** The job an event is about. */
export interface JobContext {
  readonly kitId: number;
  readonly runId: string;
  readonly jobId: string;
  readonly attempt: number;
}

export type Ending = Exclude<JobStatus, 'PENDING' | 'QUEUED' | 'SUCCESS'>;

export interface KitRunOptions {
  readonly kitId: number;
  readonly runId?: string;
  /** The run stops at this task with `ending` (FAILED, TIMEOUT, CANCELLED or still RUNNING); otherwise it succeeds. */
  readonly stopAt?: { readonly task: TaskName; readonly ending: Ending };
  readonly deckId?: string;
}

type AnyEnvelope = EventEnvelope<Record<string, unknown>>;

/**
 * Builds envelopes with valid payloads and a clock that ticks one second per event, so tests read
 * as the story of a kit run.
 */
export class EventFactory {
  private clock: number;

  constructor(start = new Date('2026-01-01T00:00:00.000Z')) {
    this.clock = start.getTime();
  }

  /** The next instant of the factory's clock. */
  tick(): string {
    this.clock += 1_000;
    return new Date(this.clock).toISOString();
  }

  envelope<N extends EventName>(type: N, data: PayloadOf<N>, correlationId: string = randomUUID()): AnyEnvelope {
    const definition = findEvent(type)!;
    const streamKey =
      (data as { jobId?: string; runId?: string; deckId?: string }).jobId ?? (data as { runId?: string }).runId ?? (data as { deckId?: string }).deckId;
    return {
      eventId: randomUUID(),
      type,
      schemaVersion: definition.version,
      streamId: `${definition.context}-${streamKey ?? 'x'}`,
      streamVersion: 1,
      context: definition.context,
      occurredAt: new Date(this.clock).toISOString(),
      metadata: { actor: 'service:test', correlationId },
      data: data as unknown as Record<string, unknown>,
    };
  }

  /** A lifecycle event of the job, with a plausible payload for its type. */
  lifecycle(type: LifecycleEventName, job: JobContext, extra: Record<string, unknown> = {}): AnyEnvelope {
    const at = this.tick();
    return this.envelope(type, { ...job, ...lifecyclePayload(type, at), ...extra } as never, job.runId);
  }

  kitRunStarted(kitId: number, runId: string, extra: Partial<PayloadOf<'KitRunStarted'>> = {}): AnyEnvelope {
    const at = this.tick();
    return this.envelope('KitRunStarted', { kitId, runId, startedAt: at, params: { goal: 'minimize' }, ...extra }, runId);
  }

  deckIngested(deckId: string = randomUUID(), extra: Partial<PayloadOf<'DeckIngested'>> = {}): AnyEnvelope {
    const at = this.tick();
    return this.envelope('DeckIngested', {
      deckId,
      name: 'wafer deck',
      datasetType: 'Vector',
      format: 'csv',
      factors: ['temp', 'pressure'],
      responses: ['yield'],
      rowCount: 12,
      statistics: { temp: { min: 1, max: 9 } },
      ingestedAt: at,
      ...extra,
    });
  }

  kitRunStopped(kitId: number, runId: string, reason = 'stopped by an operator', actor = 'user:ada'): AnyEnvelope {
    const at = this.tick();
    return this.withActor(this.envelope('KitRunStopped', { kitId, runId, stoppedAt: at, reason }, runId), actor);
  }

  kitRunRetried(kitId: number, runId: string, reason?: string, actor = 'user:ada'): AnyEnvelope {
    const at = this.tick();
    return this.withActor(this.envelope('KitRunRetried', { kitId, runId, retriedAt: at, ...(reason ? { reason } : {}) }, runId), actor);
  }

  /** Lines a job wrote, each a tick apart. */
  jobLogged(job: JobContext, jobType: JobType, lines: readonly { message: string; level?: LogLevel; task?: string }[]): AnyEnvelope {
    const stamped = lines.map((line) => ({ at: this.tick(), level: line.level ?? 'info', message: line.message, ...(line.task ? { task: line.task } : {}) }));
    return this.envelope('JobLogged', { ...job, jobType, lines: stamped }, job.runId);
  }

  modelRegistered(job: JobContext, modelId: string = randomUUID()): AnyEnvelope {
    const at = this.tick();
    return this.envelope(
      'ModelRegistered',
      {
        kitId: job.kitId,
        runId: job.runId,
        modelId,
        modelVersion: 1,
        algorithm: 'ridge',
        deckId: job.jobId,
        datasetId: job.jobId,
        metrics: { rmse: 0.5 },
        r2: 0.91,
        hyperparameters: { alpha: 0.001 },
        params: { scaling: 'standard' },
        factors: ['x1', 'x2'],
        response: 'y',
        lineage: { deckId: job.jobId, datasetId: job.jobId, designType: 'latin-hypercube' },
        artifactDigest: 'sha256:0',
        registeredAt: at,
      },
      job.runId,
    );
  }

  private withActor(envelope: AnyEnvelope, actor: string): AnyEnvelope {
    return { ...envelope, metadata: { ...envelope.metadata, actor } };
  }

  /** Every event of one kit run, in order: started, then each task requested → started → ended. */
  kitRun(options: KitRunOptions): AnyEnvelope[] {
    const runId = options.runId ?? randomUUID();
    const events: AnyEnvelope[] = [this.kitRunStarted(options.kitId, runId, options.deckId ? { deckId: options.deckId } : {})];
    const mlJobId = randomUUID();
    for (const task of TASKS) {
      const job: JobContext = { kitId: options.kitId, runId, jobId: task in STEP_OF ? mlJobId : randomUUID(), attempt: 1 };
      const names = EVENTS_OF[task];
      const step = STEP_OF[task as keyof typeof STEP_OF];
      const stepFields = step ? { step } : {};
      events.push(this.lifecycle(names.requested, job, { ...stepFields, ...(step ? { stepOrder: ML_STEPS.indexOf(step) + 1 } : {}) }));
      events.push(this.lifecycle(names.started, job, stepFields));
      const stop = options.stopAt?.task === task ? options.stopAt.ending : undefined;
      if (stop === 'RUNNING') return events;
      if (stop) {
        events.push(this.lifecycle(names[stop], job, stepFields));
        return events;
      }
      events.push(this.lifecycle(names.completed, job));
      if (task === 'training') events.push(this.modelRegistered(job));
    }
    return events;
  }
}

/** Positions the envelopes as the stream would, from `first` on. */
export function delivered(envelopes: readonly AnyEnvelope[], first = 1): DeliveredEvent<object>[] {
  return envelopes.map((envelope, i) => ({ envelope, position: first + i }));
}

const TASKS: readonly TaskName[] = ['deck_collection', 'doe', 'preprocess', 'scaling', 'training', 'test', 'optimize'];
const STEP_OF = { preprocess: 'preprocess', scaling: 'scaling', training: 'training', test: 'test' } as const;

export type LifecycleEventName = Exclude<EventName, 'KitRunStarted' | 'KitRunStopped' | 'KitRunRetried' | 'JobLogged' | 'DeckIngested' | 'ModelRegistered'>;

interface TaskEvents {
  requested: LifecycleEventName;
  started: LifecycleEventName;
  completed: LifecycleEventName;
  FAILED: LifecycleEventName;
  TIMEOUT: LifecycleEventName;
  CANCELLED: LifecycleEventName;
}

const stage = (prefix: 'DeckCollection' | 'Doe' | 'Optimize'): Omit<TaskEvents, 'completed'> => ({
  requested: `${prefix}Requested`,
  started: `${prefix}Started`,
  FAILED: `${prefix}Failed`,
  TIMEOUT: `${prefix}TimedOut`,
  CANCELLED: `${prefix}Cancelled`,
});
const mlStep = {
  requested: 'MlStepRequested',
  started: 'MlStepStarted',
  FAILED: 'MlStepFailed',
  TIMEOUT: 'MlStepTimedOut',
  CANCELLED: 'MlStepCancelled',
} as const;

const EVENTS_OF: Record<TaskName, TaskEvents> = {
  deck_collection: { ...stage('DeckCollection'), completed: 'DeckCollectionCompleted' },
  doe: { ...stage('Doe'), completed: 'DoeCompleted' },
  preprocess: { ...mlStep, completed: 'MlPreprocessCompleted' },
  scaling: { ...mlStep, completed: 'MlScalingCompleted' },
  training: { ...mlStep, completed: 'MlTrainingCompleted' },
  test: { ...mlStep, completed: 'MlTestCompleted' },
  optimize: { ...stage('Optimize'), completed: 'OptimizeCompleted' },
};

const SOME_UUID = '00000000-0000-4000-8000-000000000001';

/** What the stages hand on along the chain. */
const CHAIN = {
  deckId: SOME_UUID,
  datasetId: SOME_UUID,
  designType: 'latin-hypercube',
  factors: ['temp', 'pressure'],
  responses: ['yield'],
  response: 'yield',
  bounds: { temp: [1, 9], pressure: [0.5, 2] },
  params: { doe: { points: 20 } },
};

function lifecyclePayload(type: LifecycleEventName, at: string): Record<string, unknown> {
  if (type.endsWith('Requested')) {
    const base = { requestedAt: at, timeoutMs: 300_000 };
    if (type === 'DeckCollectionRequested') return { ...base, sourcePath: 'decks/wafer.csv' };
    if (type === 'DoeRequested') return { ...base, deckId: SOME_UUID, design: { type: 'lhs', points: 20 }, chain: CHAIN };
    if (type === 'MlStepRequested') return { ...base, datasetId: SOME_UUID, step: 'preprocess', stepOrder: 1 };
    return { ...base, modelId: SOME_UUID, goal: { kind: 'minimize' }, chain: CHAIN };
  }
  if (type.endsWith('Started')) return { startedAt: at };
  if (type.endsWith('Failed')) return { failedAt: at, reason: 'the deck has a constant response' };
  if (type.endsWith('TimedOut')) return { timedOutAt: at, timeoutMs: 300_000 };
  if (type.endsWith('Cancelled')) return { cancelledAt: at, reason: 'stopped by an operator' };
  switch (type) {
    case 'DeckCollectionCompleted':
      return { completedAt: at, deckId: SOME_UUID, rowCount: 12, factors: ['temp', 'pressure'], responses: ['yield'] };
    case 'DoeCompleted':
      return { completedAt: at, designType: 'lhs', pointCount: 20, datasetId: SOME_UUID, dataInfo: { rows: 20, columns: 3 }, chain: CHAIN };
    case 'MlPreprocessCompleted':
      return { completedAt: at, rowsIn: 20, rowsOut: 19, report: { outliers: 1 } };
    case 'MlScalingCompleted':
      return { completedAt: at, method: 'standard', scaler: { mean: [1, 2] } };
    case 'MlTrainingCompleted':
      return { completedAt: at, modelId: SOME_UUID, algorithm: 'ridge', hyperparameters: { alpha: 0.1 } };
    case 'MlTestCompleted':
      return {
        completedAt: at,
        modelId: SOME_UUID,
        rmse: 0.4,
        mae: 0.3,
        r2: 0.93,
        algorithm: 'ridge',
        testRows: 4,
        validation: { kind: 'holdout', testFraction: 0.2 },
        chain: CHAIN,
      };
    case 'OptimizeCompleted':
      return {
        completedAt: at,
        modelId: SOME_UUID,
        bestFactors: { temp: 4.2 },
        predicted: { yield: 0.97 },
        evaluations: 64,
        goal: { kind: 'minimize' },
        objective: 0.97,
        starts: 20,
        trace: [
          { evaluation: 1, objective: 1.4 },
          { evaluation: 12, objective: 0.97 },
        ],
      };
    default:
      throw new Error(`no payload for ${type}`);
  }
}
