import { type JobStatus, isTerminal } from '@vista/contracts';
import type { StageSpec } from './stage-spec.js';

/** One attempt of a stage's job, as its events leave it. Timestamps are ISO-8601 strings. */
export interface StageJob {
  readonly jobId: string;
  readonly runId: string;
  readonly kitId: number;
  readonly attempt: number;
  /** The job as a whole: QUEUED until a worker takes it, RUNNING from the first start until the last step ends. */
  readonly status: JobStatus;
  /** The step being worked on (or the one the job ended in). */
  readonly step: string;
  readonly requestedAt: string;
  /** When the attempt last entered the queue. */
  readonly queuedAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly reason?: string;
  readonly timeoutMs: number;
  /** Its place among the jobs waiting for the stage's workers: higher first (the run's `params.priority`). */
  readonly priority: number;
  /** The fields of the attempt's first request beyond the lifecycle ones: what the job works from. */
  readonly input: Record<string, unknown>;
  /** Each completed step's event data. */
  readonly outputs: Readonly<Record<string, Record<string, unknown>>>;
}

/** A run as one stage service knows it. */
export interface StageRun {
  /** The newest attempt, if the stage has started one. */
  readonly job?: StageJob;
  /** Stream version: the expected version of the next append. */
  readonly version: number;
  /** Ids of the events that caused appends here (triggers, stops, retries): a redelivered one is seen. */
  readonly causations: ReadonlySet<string>;
  readonly correlationId?: string;
}

export interface StageEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly causationId?: string;
  readonly correlationId?: string;
}

export const RETRYABLE_STATUSES: readonly JobStatus[] = ['FAILED', 'TIMEOUT', 'CANCELLED'];

const LIFECYCLE_FIELDS = new Set(['kitId', 'runId', 'jobId', 'attempt', 'step', 'stepOrder', 'requestedAt', 'timeoutMs']);

export const isActive = (job: StageJob | undefined): job is StageJob => job !== undefined && !isTerminal(job.status);
export const isRetryable = (job: StageJob | undefined): job is StageJob => job !== undefined && RETRYABLE_STATUSES.includes(job.status);

/** Applies one recorded event; events that are not the stage's lifecycle (its job logs) leave the job as it is. */
export function evolveStage(spec: StageSpec, run: StageRun, event: StageEvent): StageRun {
  const causations = event.causationId ? new Set([...run.causations, event.causationId]) : run.causations;
  const next = { ...run, version: run.version + 1, causations, correlationId: run.correlationId ?? event.correlationId };
  const d = event.data;
  const step = spec.stepInEvents ? String(d.step) : spec.steps[0]!;
  const at = (field: string) => String(d[field]);
  const job = run.job;
  if (event.type === spec.events.requested) {
    if (step === spec.steps[0]) {
      const input = Object.fromEntries(Object.entries(d).filter(([key]) => !LIFECYCLE_FIELDS.has(key)));
      return {
        ...next,
        job: {
          jobId: String(d.jobId),
          runId: String(d.runId),
          kitId: Number(d.kitId),
          attempt: Number(d.attempt),
          status: 'PENDING',
          step,
          requestedAt: at('requestedAt'),
          timeoutMs: Number(d.timeoutMs),
          priority: 0,
          input,
          outputs: {},
        },
      };
    }
    return job ? { ...next, job: { ...job, step, status: 'RUNNING' } } : next;
  }
  if (!job) return next;
  switch (event.type) {
    case spec.events.queued:
      return { ...next, job: { ...job, step, status: 'QUEUED', priority: Number(d.priority ?? 0), queuedAt: at('queuedAt') } };
    case spec.events.started:
      return { ...next, job: { ...job, step, status: 'RUNNING', startedAt: job.startedAt ?? at('startedAt') } };
    case spec.events.failed:
      return { ...next, job: { ...job, step, status: 'FAILED', finishedAt: at('failedAt'), reason: String(d.reason) } };
    case spec.events.timedOut:
      return { ...next, job: { ...job, step, status: 'TIMEOUT', finishedAt: at('timedOutAt'), reason: `timed out after ${d.timeoutMs} ms` } };
    case spec.events.cancelled:
      return { ...next, job: { ...job, step, status: 'CANCELLED', finishedAt: at('cancelledAt'), reason: String(d.reason) } };
  }
  const completedStep = Object.entries(spec.events.completed).find(([, type]) => type === event.type)?.[0];
  if (completedStep === undefined) return next;
  const last = completedStep === spec.steps[spec.steps.length - 1];
  return {
    ...next,
    job: {
      ...job,
      step: completedStep,
      status: last ? 'SUCCESS' : 'RUNNING',
      ...(last ? { finishedAt: at('completedAt') } : {}),
      outputs: { ...job.outputs, [completedStep]: d },
    },
  };
}

export const emptyRun = (): StageRun => ({ version: 0, causations: new Set() });

export const foldStage = (spec: StageSpec, events: readonly StageEvent[]): StageRun => events.reduce((run, e) => evolveStage(spec, run, e), emptyRun());

/** Builds a lifecycle event of the job's current step (or of `step`). */
export function lifecycleEvent(
  spec: StageSpec,
  kind: 'requested' | 'queued' | 'started' | 'failed' | 'timedOut' | 'cancelled',
  job: Pick<StageJob, 'kitId' | 'runId' | 'jobId' | 'attempt' | 'step'>,
  fields: Record<string, unknown>,
  step: string = job.step,
): { type: string; data: Record<string, unknown> } {
  const ref = { kitId: job.kitId, runId: job.runId, jobId: job.jobId, attempt: job.attempt };
  const stepFields = spec.stepInEvents ? { step, ...(kind === 'requested' ? { stepOrder: spec.steps.indexOf(step) + 1 } : {}) } : {};
  return { type: spec.events[kind], data: { ...ref, ...stepFields, ...fields } };
}

/** The completion event of a step, with the step's own result fields. */
export function completedEvent(
  spec: StageSpec,
  job: Pick<StageJob, 'kitId' | 'runId' | 'jobId' | 'attempt'>,
  step: string,
  output: Record<string, unknown>,
  completedAt: string,
): { type: string; data: Record<string, unknown> } {
  const type = spec.events.completed[step];
  if (!type) throw new Error(`${spec.jobType} has no step "${step}"`);
  return { type, data: { kitId: job.kitId, runId: job.runId, jobId: job.jobId, attempt: job.attempt, completedAt, ...output } };
}
