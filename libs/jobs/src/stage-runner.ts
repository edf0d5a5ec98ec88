import { type Kysely, sql } from 'kysely';
import { ConflictError, type EventMetadata, type JobLogLineV1, type LogLevel, VistaError } from '@vista/contracts';
import type { EventStore, NewEvent } from '@vista/event-store';
import { injectTraceContext } from '@vista/telemetry/tracing';
import { RunControlTable } from './run-control.js';
import { type StageJob, type StageRun, completedEvent, foldStage, isActive, isRetryable, lifecycleEvent } from './stage-job.js';
import type { StageSpec } from './stage-spec.js';

/** What a stage's work gets besides its job: a stop signal, a way to record each step, and a log. */
export interface StageWorkContext {
  /** Aborted on stop, timeout or shutdown; the work should end (a worker thread is terminated). */
  readonly signal: AbortSignal;
  /**
   * Records a step's result; the next step is requested and started in the same append, with any
   * events the step produced besides (`also`, e.g. the model registration that comes with the test).
   */
  completeStep(step: string, output: Record<string, unknown>, also?: { type: string; data: Record<string, unknown> }[]): Promise<void>;
  /** A line of the job's log (`GET /api/v1/jobs/{jobId}/logs`), recorded with the next transition. */
  log(message: string, level?: LogLevel): void;
}

/** Does a job's work, calling `completeStep` for each step in order; throwing fails the job with the error's message. */
export type StageWork = (job: StageJob, context: StageWorkContext) => Promise<void>;

export interface StageLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface StageRunnerOptions {
  readonly spec: StageSpec;
  readonly store: EventStore;
  readonly db: Kysely<any>;
  /** The stage service's schema (its `events` and `run_control` tables). */
  readonly schema: string;
  readonly work: StageWork;
  readonly logger: StageLogger;
  /** Fields every request of a later step repeats (e.g. the ML steps' datasetId). */
  readonly stepRequestFields?: (job: StageJob) => Record<string, unknown>;
}

/** A trigger: the previous stage completed, so this stage's job of the run is requested. */
export interface StageTrigger {
  readonly kitId: number;
  readonly runId: string;
  readonly jobId: string;
  readonly timeoutMs: number;
  /** The request's own fields (what the job works from). */
  readonly fields: Record<string, unknown>;
  /** The triggering event: its id is the causation, its correlation id carries on. */
  readonly causationId: string;
  readonly correlationId: string;
}

/** A run control seen on the bus (KitRunStopped / KitRunRetried). */
export interface StageControl {
  readonly kitId: number;
  readonly runId: string;
  readonly reason?: string;
  readonly eventId: string;
  readonly position: number;
  readonly correlationId: string;
  readonly actor: string;
}

export type TriggerOutcome = 'requested' | 'duplicate' | 'cancelled-stopped';

type StopCause = 'cancelled' | 'timeout' | 'shutdown' | 'moved';

class StageStopped extends Error {
  constructor(readonly stopCause: StopCause) {
    super(`stage work stopped: ${stopCause}`);
  }
}

const ATTEMPTS = 3;

/**
 * Runs one stage's jobs: PENDING → RUNNING → SUCCESS | FAILED | TIMEOUT | CANCELLED, step by step,
 * each transition appended to the run's stream at the version the job was read at, so a job stopped
 * or finished elsewhere is never overwritten. One job per stage per attempt: a redelivered trigger
 * finds the job already requested. Unfinished jobs resume when the service starts.
 */
export class StageRunner {
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly controls: RunControlTable;
  private readonly actor: string;

  constructor(private readonly options: StageRunnerOptions) {
    this.controls = new RunControlTable(options.db, options.schema);
    this.actor = `service:${options.spec.jobType}`;
  }

  get spec(): StageSpec {
    return this.options.spec;
  }

  streamId(runId: string): string {
    return `${this.spec.streamPrefix}${runId}`;
  }

  async load(runId: string): Promise<StageRun> {
    const stored = await this.options.store.readStream(this.streamId(runId));
    return foldStage(
      this.spec,
      stored.map((e) => ({ type: e.type, data: e.data, causationId: e.metadata.causationId ?? undefined, correlationId: e.metadata.correlationId })),
    );
  }

  /** Requests the run's job (attempt 1) and starts it; if the run was stopped meanwhile, records it CANCELLED instead. */
  async request(trigger: StageTrigger): Promise<TriggerOutcome> {
    const run = await this.load(trigger.runId);
    if (run.job || run.causations.has(trigger.causationId)) return 'duplicate';
    const stopped = (await this.controls.latest(trigger.runId))?.action === 'stop';
    const now = new Date().toISOString();
    const job = { kitId: trigger.kitId, runId: trigger.runId, jobId: trigger.jobId, attempt: 1, step: this.spec.steps[0]! };
    const events = [lifecycleEvent(this.spec, 'requested', job, { requestedAt: now, timeoutMs: trigger.timeoutMs, ...trigger.fields })];
    if (stopped) events.push(lifecycleEvent(this.spec, 'cancelled', job, { cancelledAt: now, reason: `the run was stopped before ${this.spec.jobType} began` }));
    try {
      await this.append(trigger.runId, run.version, events, this.metadata(job, trigger.correlationId, this.actor, trigger.causationId));
    } catch (error) {
      if (error instanceof ConflictError) return 'duplicate';
      throw error;
    }
    if (stopped) return 'cancelled-stopped';
    this.schedule(trigger.runId);
    return 'requested';
  }

  /** KitRunStopped: the run's pending or running job ends CANCELLED; a later trigger is cancelled on arrival. */
  async stop(control: StageControl): Promise<void> {
    if (await this.isSuperseded(control)) return;
    for (let attempt = 1; ; attempt++) {
      const run = await this.load(control.runId);
      const job = run.job;
      if (!isActive(job) || run.causations.has(control.eventId)) break;
      const event = lifecycleEvent(this.spec, 'cancelled', job, { cancelledAt: new Date().toISOString(), reason: control.reason || `stopped by ${control.actor}` });
      try {
        await this.append(control.runId, run.version, [event], this.metadata(job, control.correlationId, control.actor, control.eventId));
        break;
      } catch (error) {
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
    this.abort(control.runId, 'cancelled');
    await this.controls.record(control.runId, 'stop', control.position);
  }

  /** KitRunRetried: a failed, timed-out or cancelled job starts a new attempt (same job id, attempt + 1), its history kept. */
  async retry(control: StageControl): Promise<void> {
    if (await this.isSuperseded(control)) return;
    let retried = false;
    for (let attempt = 1; ; attempt++) {
      const run = await this.load(control.runId);
      const job = run.job;
      if (!isRetryable(job) || run.causations.has(control.eventId)) break;
      const next = { ...job, attempt: job.attempt + 1, step: this.spec.steps[0]! };
      const event = lifecycleEvent(this.spec, 'requested', next, { requestedAt: new Date().toISOString(), timeoutMs: job.timeoutMs, ...job.input });
      try {
        await this.append(control.runId, run.version, [event], this.metadata(next, control.correlationId, control.actor, control.eventId));
        retried = true;
        break;
      } catch (error) {
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
    await this.controls.record(control.runId, 'retry', control.position);
    if (retried) this.schedule(control.runId);
  }

  /** Resumes jobs left PENDING or RUNNING by a previous process. */
  async resumeUnfinished(): Promise<number> {
    const terminal = [this.spec.events.failed, this.spec.events.timedOut, this.spec.events.cancelled, this.spec.events.completed[this.spec.steps.at(-1)!]!];
    const { rows } = await sql<{ stream_id: string }>`
      select stream_id from (
        select distinct on (stream_id) stream_id, type from ${sql.id(this.options.schema, 'events')}
        where stream_id like ${`${this.spec.streamPrefix}%`} and type <> 'JobLogged' order by stream_id, stream_version desc
      ) last where type <> all(${terminal})`.execute(this.options.db);
    for (const row of rows) this.schedule(row.stream_id.slice(this.spec.streamPrefix.length));
    return rows.length;
  }

  /** Stops in-process work (jobs stay RUNNING in the log and resume in the next process). */
  async shutdown(): Promise<void> {
    for (const { controller } of this.inFlight.values()) controller.abort(new StageStopped('shutdown'));
    await Promise.allSettled([...this.inFlight.values()].map((job) => job.done));
  }

  /** Runs currently worked on by this process. */
  activeRuns(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Starts work on the run's job in the background (no-op when this process already works on it). */
  schedule(runId: string): void {
    if (this.inFlight.has(runId)) return;
    const controller = new AbortController();
    const done = this.work(runId, controller)
      .catch((error: unknown) => this.options.logger.error(`${this.spec.jobType} job of run ${runId} could not be settled: ${(error as Error)?.message}`))
      .finally(() => this.inFlight.delete(runId));
    this.inFlight.set(runId, { controller, done });
  }

  private abort(runId: string, cause: StopCause): void {
    this.inFlight.get(runId)?.controller.abort(new StageStopped(cause));
  }

  /** A control older than the one already recorded for the run (they arrive in order; this guards redelivery). */
  private async isSuperseded(control: StageControl): Promise<boolean> {
    const latest = await this.controls.latest(control.runId);
    return latest !== undefined && latest.position > control.position;
  }

  private async work(runId: string, controller: AbortController): Promise<void> {
    const run = await this.load(runId);
    if (!isActive(run.job)) return;
    let job: StageJob = run.job;
    let version = run.version;
    const metadata = this.metadata(job, run.correlationId ?? runId, this.actor);
    const lines: JobLogLineV1[] = [];
    const log = (message: string, level: LogLevel = 'info') => lines.push({ at: new Date().toISOString(), level, task: job.step, message: message.slice(0, 4000) });
    const withLog = (events: { type: string; data: Record<string, unknown> }[]) => {
      const taken = lines.splice(0, 500);
      return taken.length === 0
        ? events
        : [...events, { type: 'JobLogged', data: { kitId: job.kitId, runId: job.runId, jobId: job.jobId, attempt: job.attempt, jobType: this.spec.jobType, lines: taken } }];
    };
    const appendOrStop = async (events: { type: string; data: Record<string, unknown> }[]) => {
      try {
        version = await this.append(runId, version, withLog(events), metadata);
      } catch (error) {
        // Stopped or moved on elsewhere: this process's work on the job is over.
        if (error instanceof ConflictError) controller.abort(new StageStopped('moved'));
        throw error;
      }
    };

    if (job.status === 'PENDING') {
      log(`attempt ${job.attempt} started`);
      const startedAt = new Date().toISOString();
      try {
        await appendOrStop([lifecycleEvent(this.spec, 'started', job, { startedAt })]);
      } catch (error) {
        if (error instanceof ConflictError) return; // stopped before it began
        throw error;
      }
      job = { ...job, status: 'RUNNING', startedAt };
    } else {
      log(`attempt ${job.attempt} resumed at step ${job.step} after a restart`, 'warn');
    }
    const deadline = Date.parse(job.requestedAt) + job.timeoutMs;
    const timer = setTimeout(() => controller.abort(new StageStopped('timeout')), Math.max(0, deadline - Date.now()));
    let chain = Promise.resolve();
    const completeStep = (step: string, output: Record<string, unknown>, also: { type: string; data: Record<string, unknown> }[] = []): Promise<void> => {
      chain = chain.then(async () => {
        if (controller.signal.aborted) throw controller.signal.reason;
        const index = this.spec.steps.indexOf(step);
        const current = this.spec.steps.indexOf(job.step);
        if (index < current) return; // done before a restart: recomputed, not recorded twice
        if (index !== current) throw new VistaError('internal', `${this.spec.jobType}: step ${step} finished while ${job.step} was current`);
        const now = new Date().toISOString();
        const events = [completedEvent(this.spec, job, step, output, now), ...also];
        const next = this.spec.steps[index + 1];
        if (next) {
          const extra = this.options.stepRequestFields?.(job) ?? {};
          events.push(lifecycleEvent(this.spec, 'requested', job, { requestedAt: now, timeoutMs: job.timeoutMs, ...extra }, next));
          events.push(lifecycleEvent(this.spec, 'started', job, { startedAt: now }, next));
        }
        await appendOrStop(events);
        job = next ? { ...job, step: next } : { ...job, status: 'SUCCESS', finishedAt: now };
      });
      // The caller may not await every step before the work fails; the failure is seen at `await chain` below.
      chain.catch(() => undefined);
      return chain;
    };
    try {
      // Stopped (or shut down) while it was being started: do not begin the work at all.
      if (controller.signal.aborted) throw controller.signal.reason;
      await this.options.work(job, { signal: controller.signal, completeStep, log });
      await chain;
      if (job.status !== 'SUCCESS') throw new VistaError('internal', `${this.spec.jobType} work ended before step ${job.step} completed`);
    } catch (error) {
      // Steps the work reported just before it failed may still be being appended: let them land, so
      // the failure is recorded after them (at the version they leave), in the step that was running.
      await chain.catch(() => undefined);
      const cause = controller.signal.aborted ? (controller.signal.reason as StageStopped | undefined)?.stopCause : undefined;
      if (cause === 'timeout') {
        log(`timed out after ${job.timeoutMs} ms in step ${job.step}`, 'error');
        await this.settleQuietly(() => appendOrStop([lifecycleEvent(this.spec, 'timedOut', job, { timedOutAt: new Date().toISOString(), timeoutMs: job.timeoutMs })]));
      } else if (cause === undefined && !(error instanceof ConflictError)) {
        const reason = error instanceof Error ? error.message : String(error);
        log(`failed in step ${job.step}: ${reason}`, 'error');
        await this.settleQuietly(() => appendOrStop([lifecycleEvent(this.spec, 'failed', job, { failedAt: new Date().toISOString(), reason: reason.slice(0, 4000) })]));
      }
      // Cancelled, shutting down, or the job moved on elsewhere: nothing more to record here.
    } finally {
      clearTimeout(timer);
    }
  }

  private async settleQuietly(append: () => Promise<void>): Promise<void> {
    try {
      await append();
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private async append(runId: string, expectedVersion: number, events: { type: string; data: Record<string, unknown> }[], metadata: EventMetadata): Promise<number> {
    const result = await this.options.store.append({ streamId: this.streamId(runId), expectedVersion, events: events as unknown as NewEvent[] }, metadata);
    return result.nextExpectedVersion;
  }

  private metadata(job: Pick<StageJob, 'kitId' | 'runId' | 'jobId'>, correlationId: string, actor: string, causationId?: string): EventMetadata {
    const trace = injectTraceContext();
    return {
      actor,
      correlationId,
      kitId: job.kitId,
      runId: job.runId,
      jobId: job.jobId,
      ...(causationId ? { causationId } : {}),
      ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
      ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
    };
  }
}
