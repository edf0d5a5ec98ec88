import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { type Kysely, type Transaction, sql } from 'kysely';
import { ConflictError, type EventMetadata, type JobLogLineV1, type LogLevel, VistaError, isConnectionLost } from '@vista/contracts';
import { retryOnConnectionLoss } from '@vista/db';
import type { EventStore, NewEvent } from '@vista/event-store';
import { injectTraceContext } from '@vista/telemetry/tracing';
import { type ClaimedJob, JobQueue, type QueuePosition, type QueuedJob } from './job-queue.js';
import { jobsMetrics } from './jobs.metrics.js';
import { RunControlTable } from './run-control.js';
import { type StageJob, type StageRun, completedEvent, foldStage, isActive, isRetryable, lifecycleEvent } from './stage-job.js';
import type { StageSpec } from './stage-spec.js';
import type { PoolTaskOptions, WorkerPool } from './worker-pool.js';

/** What a stage's work gets besides its job: a stop signal, a way to record each step, and a log. */
export interface StageWorkContext {
  /** Aborted on stop, timeout or shutdown; the work should end (a worker thread is terminated). */
  readonly signal: AbortSignal;
  /**
   * Records a step's result; the next step is requested and started in the same append, with any
   * events the step produced besides (`also`, e.g. the model registration that comes with the test).
   */
  completeStep(
    step: string,
    output: Record<string, unknown>,
    also?: { type: string; data: Record<string, unknown> }[],
    /** Writes that must commit with the step's events or not at all (e.g. the deck rows a collection produced). */
    inTransaction?: (trx: Transaction<any>) => Promise<void>,
  ): Promise<void>;
  /** Runs a task on the service's warm worker pool; the job's stop, timeout or shutdown ends it at once. */
  runTask<TInput, TProgress, TResult>(module: URL, input: TInput, onProgress?: PoolTaskOptions<TProgress>['onProgress']): Promise<TResult>;
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
  /** The service's warm workers; at most its size of jobs run at once on this replica, the rest wait QUEUED. */
  readonly pool: WorkerPool;
  readonly leasing?: LeaseSettings;
}

export interface LeaseSettings {
  /** A running job's lease: another replica takes the job over once it runs out (default 10 s). */
  readonly leaseMs: number;
  /** How often a replica renews its leases and notices a job stopped or taken elsewhere (default 500 ms). */
  readonly heartbeatMs: number;
  /** How often an idle replica looks for waiting jobs (default 1 s; a job enqueued here wakes it at once). */
  readonly pollMs: number;
  /** This replica's name in the leases (default host, pid and a random suffix). */
  readonly replicaId?: string;
}

export const DEFAULT_LEASING: LeaseSettings = { leaseMs: 10_000, heartbeatMs: 500, pollMs: 1_000 };

/** A trigger: the previous stage completed, so this stage's job of the run is requested. */
export interface StageTrigger {
  readonly kitId: number;
  readonly runId: string;
  readonly jobId: string;
  readonly timeoutMs: number;
  /** The request's own fields (what the job works from). */
  readonly fields: Record<string, unknown>;
  /** Higher waits less (the run's `params.priority`, default 0). */
  readonly priority?: number;
  /** The triggering event: its id is the causation (a command that starts a job has none), its correlation id carries on. */
  readonly causationId?: string;
  readonly correlationId: string;
  /** Who asked (default: the stage service itself). */
  readonly actor?: string;
  /** Events of the run owner recorded in the same append before the job's (the deck's KitRunStarted). */
  readonly leading?: { type: string; data: Record<string, unknown> }[];
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
 * Runs one stage's jobs: PENDING → QUEUED → RUNNING → SUCCESS | FAILED | TIMEOUT | CANCELLED, step by
 * step, each transition appended to the run's stream at the version the job was read at, so a job
 * stopped or finished elsewhere is never overwritten. One job per stage per attempt: a redelivered
 * trigger finds the job already requested.
 *
 * A requested job is recorded QUEUED and put in the stage's durable queue in one transaction. Each
 * replica takes jobs from the queue in fair order while it has a free worker, under a lease its
 * heartbeat renews; a replica that dies leaves leases that run out, and another replica takes those
 * jobs over. The timeout counts from RUNNING, never while a job waits.
 */
export class StageRunner {
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly controls: RunControlTable;
  private readonly queue: JobQueue;
  private readonly actor: string;
  private readonly leasing: LeaseSettings;
  readonly replicaId: string;
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private pumping = false;
  private pumpAgain = false;

  constructor(private readonly options: StageRunnerOptions) {
    this.controls = new RunControlTable(options.db, options.schema);
    this.queue = new JobQueue(options.db, options.schema);
    this.actor = `service:${options.spec.jobType}`;
    this.leasing = options.leasing ?? DEFAULT_LEASING;
    this.replicaId = this.leasing.replicaId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  get spec(): StageSpec {
    return this.options.spec;
  }

  /** Jobs this replica runs at once: its worker pool's size. */
  get capacity(): number {
    return this.options.pool.size;
  }

  streamId(runId: string): string {
    return `${this.spec.streamPrefix}${runId}`;
  }

  /** The run's job as its stream records it (read in `trx` when given). */
  async load(runId: string, trx?: Transaction<any>): Promise<StageRun> {
    const stored = await this.options.store.readStream(this.streamId(runId), 1, trx);
    return foldStage(
      this.spec,
      stored.map((e) => ({ type: e.type, data: e.data, causationId: e.metadata.causationId ?? undefined, correlationId: e.metadata.correlationId })),
    );
  }

  /** Starts taking jobs from the queue (and adopts unfinished jobs recorded before the queue existed). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const adopted = await this.adoptUnqueued();
    if (adopted > 0) this.options.logger.log(`queued ${adopted} unfinished ${this.spec.jobType} job(s) recorded before the queue`);
    this.timers = [
      setInterval(() => void this.heartbeat(), this.leasing.heartbeatMs),
      setInterval(() => {
        this.pump();
        void this.observeQueue();
      }, this.leasing.pollMs),
    ];
    this.pump();
  }

  /**
   * Requests the run's job (attempt 1) and queues it; if the run was stopped meanwhile, records it
   * CANCELLED instead.
   */
  async request(trigger: StageTrigger, trx?: Transaction<any>): Promise<TriggerOutcome> {
    // In a caller's transaction, everything is read through it: it holds a pooled connection already.
    const run = await this.load(trigger.runId, trx);
    if (run.job || (trigger.causationId !== undefined && run.causations.has(trigger.causationId))) return 'duplicate';
    const stopped = (await this.controls.latest(trigger.runId, trx))?.action === 'stop';
    const now = new Date().toISOString();
    const job = { kitId: trigger.kitId, runId: trigger.runId, jobId: trigger.jobId, attempt: 1, step: this.spec.steps[0]! };
    const priority = trigger.priority ?? 0;
    const events = [
      ...(trigger.leading ?? []),
      lifecycleEvent(this.spec, 'requested', job, { requestedAt: now, timeoutMs: trigger.timeoutMs, ...trigger.fields }),
    ];
    events.push(
      stopped
        ? lifecycleEvent(this.spec, 'cancelled', job, { cancelledAt: now, reason: `the run was stopped before ${this.spec.jobType} began` })
        : lifecycleEvent(this.spec, 'queued', job, { queuedAt: now, priority }),
    );
    try {
      await this.appendAndQueue(
        trigger.runId,
        run.version,
        events,
        this.metadata(job, trigger.correlationId, trigger.actor ?? this.actor, trigger.causationId),
        stopped ? undefined : { ...job, priority },
        trx,
      );
    } catch (error) {
      if (error instanceof ConflictError && !trx) return 'duplicate';
      throw error;
    }
    if (stopped) return 'cancelled-stopped';
    // In a caller's transaction the job is not visible until it commits: the caller pumps then.
    if (!trx) this.pump();
    return 'requested';
  }

  /**
   * KitRunStopped: the run's queued or running job ends CANCELLED and leaves the queue (the replica
   * running it notices at its next heartbeat); a later trigger is cancelled on arrival. `leading`
   * events (the run owner's KitRunStopped) are appended with it, and even when no job is active.
   * Returns the job it cancelled. In a caller's transaction, a conflict is the caller's to retry.
   */
  async stop(control: StageControl, leading: { type: string; data: Record<string, unknown> }[] = [], trx?: Transaction<any>): Promise<StageJob | undefined> {
    if (await this.isSuperseded(control, trx)) return undefined;
    let cancelled: StageJob | undefined;
    let recorded = false;
    for (let attempt = 1; ; attempt++) {
      const run = await this.load(control.runId, trx);
      const job = run.job;
      if (run.causations.has(control.eventId)) break;
      const active = isActive(job);
      if (!active && leading.length === 0) break;
      const events = [...leading];
      if (active)
        events.push(
          lifecycleEvent(this.spec, 'cancelled', job, { cancelledAt: new Date().toISOString(), reason: control.reason || `stopped by ${control.actor}` }),
        );
      try {
        await this.inTransaction(trx, async (tx) => {
          await this.append(control.runId, run.version, events, this.metadata(job ?? control, control.correlationId, control.actor, control.eventId), tx);
          if (active) await this.queue.remove(control.runId, job.attempt, tx);
          await this.controls.record(control.runId, 'stop', control.position, tx);
        });
        cancelled = active ? job : undefined;
        recorded = true;
        break;
      } catch (error) {
        if (error instanceof ConflictError && attempt < ATTEMPTS && !trx) continue;
        throw error;
      }
    }
    // Nothing to cancel (yet): the stop is still recorded, so a trigger that comes later is cancelled on arrival.
    if (!recorded) await this.controls.record(control.runId, 'stop', control.position, trx);
    this.abort(control.runId, 'cancelled');
    return cancelled;
  }

  /**
   * KitRunRetried: a failed, timed-out or cancelled job starts a new attempt (same job id, attempt + 1,
   * queued again), its history kept. `leading` events are appended with it, and even when no job here
   * is retryable. Returns the new attempt. In a caller's transaction, a conflict is the caller's to
   * retry, and the caller pumps once it commits.
   */
  async retry(control: StageControl, leading: { type: string; data: Record<string, unknown> }[] = [], trx?: Transaction<any>): Promise<StageJob | undefined> {
    if (await this.isSuperseded(control, trx)) return undefined;
    let retried: StageJob | undefined;
    let recorded = false;
    for (let attempt = 1; ; attempt++) {
      const run = await this.load(control.runId, trx);
      const job = run.job;
      if (run.causations.has(control.eventId)) break;
      const retryable = isRetryable(job);
      if (!retryable && leading.length === 0) break;
      const events = [...leading];
      const next = retryable ? { ...job, attempt: job.attempt + 1, step: this.spec.steps[0]!, status: 'QUEUED' as const } : undefined;
      if (next) {
        const now = new Date().toISOString();
        events.push(lifecycleEvent(this.spec, 'requested', next, { requestedAt: now, timeoutMs: next.timeoutMs, ...next.input }));
        events.push(lifecycleEvent(this.spec, 'queued', next, { queuedAt: now, priority: next.priority }));
      }
      try {
        await this.inTransaction(trx, async (tx) => {
          await this.appendAndQueue(
            control.runId,
            run.version,
            events,
            this.metadata(next ?? job ?? control, control.correlationId, control.actor, control.eventId),
            next,
            tx,
          );
          await this.controls.record(control.runId, 'retry', control.position, tx);
        });
        retried = next;
        recorded = true;
        break;
      } catch (error) {
        if (error instanceof ConflictError && attempt < ATTEMPTS && !trx) continue;
        throw error;
      }
    }
    if (!recorded) await this.controls.record(control.runId, 'retry', control.position, trx);
    if (retried && !trx) this.pump();
    return retried;
  }

  /** Where these runs' jobs stand among the stage's waiting jobs. */
  queuePositions(runIds: readonly string[]): Promise<Map<string, QueuePosition>> {
    return this.queue.positions(runIds);
  }

  /**
   * Stops taking jobs; running jobs get up to `drainMs` to finish (their leases still renewed), then
   * what is left is stopped in-process: those jobs stay RUNNING in the log and their leases are given
   * back, so another replica (or the next process) resumes them at their last recorded step at once.
   */
  async shutdown(drainMs = 0): Promise<void> {
    this.running = false;
    const [heartbeat, ...others] = this.timers;
    for (const timer of others) clearInterval(timer);
    if (drainMs > 0 && this.inFlight.size > 0) {
      this.options.logger.log(`${this.spec.jobType}: letting ${this.inFlight.size} running job(s) finish (at most ${drainMs} ms)`);
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)));
      await Promise.race([Promise.allSettled([...this.inFlight.values()].map((job) => job.done)), outOfTime]);
      clearTimeout(timer);
    }
    clearInterval(heartbeat);
    this.timers = [];
    const runIds = [...this.inFlight.keys()];
    if (runIds.length > 0) this.options.logger.log(`${this.spec.jobType}: returning ${runIds.length} unfinished job(s) to the queue`);
    for (const { controller } of this.inFlight.values()) controller.abort(new StageStopped('shutdown'));
    await Promise.allSettled([...this.inFlight.values()].map((job) => job.done));
    await retryOnConnectionLoss(() => this.queue.release(this.replicaId, runIds), { attempts: 3 }).catch((error: unknown) =>
      this.options.logger.warn(`could not give back leases: ${(error as Error).message}`),
    );
  }

  /** Runs currently worked on by this replica. */
  activeRuns(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Takes waiting jobs while this replica has free workers (serialised: one claim loop at a time). */
  pump(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.pumpAgain = false;
          while (this.running && this.inFlight.size < this.capacity) {
            const claimed = await this.queue.claim(this.replicaId, this.leasing.leaseMs);
            if (!claimed) break;
            this.begin(claimed);
          }
        } while (this.pumpAgain && this.running);
      } catch (error) {
        this.options.logger.error(`${this.spec.jobType}: taking jobs from the queue failed: ${(error as Error)?.message}`);
      } finally {
        this.pumping = false;
      }
    })();
  }

  private begin(claimed: ClaimedJob): void {
    // Still working on it (its lease ran out while this process was stalled): keep going, once.
    if (this.inFlight.has(claimed.runId)) return;
    const controller = new AbortController();
    const done = this.work(claimed, controller)
      .then(async (ended) => {
        if (ended) await retryOnConnectionLoss(() => this.queue.remove(claimed.runId, claimed.attempt));
      })
      .catch((error: unknown) =>
        this.options.logger.error(`${this.spec.jobType} job of run ${claimed.runId} could not be settled: ${(error as Error)?.message}`),
      )
      .finally(() => {
        this.inFlight.delete(claimed.runId);
        jobsMetrics.running.set({ stage: this.spec.jobType }, this.inFlight.size);
        this.pump();
      });
    this.inFlight.set(claimed.runId, { controller, done });
    jobsMetrics.running.set({ stage: this.spec.jobType }, this.inFlight.size);
  }

  private async observeQueue(): Promise<void> {
    try {
      const depth = await this.queue.depth();
      jobsMetrics.queue.set({ stage: this.spec.jobType, state: 'waiting' }, depth.waiting);
      jobsMetrics.queue.set({ stage: this.spec.jobType, state: 'leased' }, depth.running);
    } catch {
      // A metric is not worth an error: the next tick tries again.
    }
  }

  /** Renews this replica's leases; a job whose lease is gone (stopped, or taken over) stops here. */
  private async heartbeat(): Promise<void> {
    const runIds = [...this.inFlight.keys()];
    if (runIds.length === 0) return;
    try {
      const held = await this.queue.renew(this.replicaId, runIds, this.leasing.leaseMs);
      for (const runId of runIds) if (!held.has(runId)) this.abort(runId, 'moved');
    } catch (error) {
      this.options.logger.warn(`${this.spec.jobType}: renewing job leases failed: ${(error as Error)?.message}`);
    }
  }

  private abort(runId: string, cause: StopCause): void {
    this.inFlight.get(runId)?.controller.abort(new StageStopped(cause));
  }

  /** A control older than the one already recorded for the run (they arrive in order; this guards redelivery). */
  private async isSuperseded(control: StageControl, trx?: Transaction<any>): Promise<boolean> {
    const latest = await this.controls.latest(control.runId, trx);
    return latest !== undefined && latest.position > control.position;
  }

  /** Jobs left unfinished in the log with no queue row (recorded before the queue existed) are queued. */
  private async adoptUnqueued(): Promise<number> {
    const spec = this.spec;
    const terminal = [spec.events.failed, spec.events.timedOut, spec.events.cancelled, spec.events.completed[spec.steps.at(-1)!]!];
    const lifecycle = [spec.events.requested, spec.events.queued, spec.events.started, ...terminal, ...Object.values(spec.events.completed)];
    const { rows } = await sql<{ stream_id: string }>`
      select stream_id from (
        select distinct on (stream_id) stream_id, type from ${sql.id(this.options.schema, 'events')}
        where stream_id like ${`${spec.streamPrefix}%`} and type = any(${lifecycle}) order by stream_id, stream_version desc
      ) last
      where type <> all(${terminal})
        and not exists (select 1 from ${sql.id(this.options.schema, 'job_queue')} q where q.run_id::text = substr(last.stream_id, ${spec.streamPrefix.length + 1}))`.execute(
      this.options.db,
    );
    for (const row of rows) {
      const runId = row.stream_id.slice(spec.streamPrefix.length);
      const job = (await this.load(runId)).job;
      if (isActive(job)) await this.options.store.inTransaction((trx) => this.queue.enqueue({ ...job, runId }, trx));
    }
    return rows.length;
  }

  /** Works on a claimed job; resolves true when the job is over (recorded ended here or found ended), false when it goes on elsewhere. */
  private async work(claimed: ClaimedJob, controller: AbortController): Promise<boolean> {
    const runId = claimed.runId;
    const run = await retryOnConnectionLoss(() => this.load(runId));
    if (!isActive(run.job)) return true;
    let job: StageJob = run.job;
    let version = run.version;
    const metadata = this.metadata(job, run.correlationId ?? runId, this.actor);
    const lines: JobLogLineV1[] = [];
    const log = (message: string, level: LogLevel = 'info') =>
      lines.push({ at: new Date().toISOString(), level, task: job.step, message: message.slice(0, 4000) });
    const withLog = (events: { type: string; data: Record<string, unknown> }[]) => {
      const taken = lines.splice(0, 500);
      return taken.length === 0
        ? events
        : [
            ...events,
            {
              type: 'JobLogged',
              data: { kitId: job.kitId, runId: job.runId, jobId: job.jobId, attempt: job.attempt, jobType: this.spec.jobType, lines: taken },
            },
          ];
    };
    const appendOrStop = async (events: { type: string; data: Record<string, unknown> }[], inTransaction?: (trx: Transaction<any>) => Promise<void>) => {
      // Ids fixed before the first try: a retry after a lost connection recognises its own events if
      // the commit went through and only the answer was lost, so a transition is never recorded twice.
      const identified = withLog(events).map((event) => ({ ...event, eventId: randomUUID() }));
      try {
        version = await this.persist(runId, identified, () => {
          const at = version;
          return inTransaction
            ? this.options.store.inTransaction(async (trx) => {
                await inTransaction(trx);
                return this.append(runId, at, identified, metadata, trx);
              })
            : this.append(runId, at, identified, metadata);
        });
      } catch (error) {
        // Stopped or moved on elsewhere: this process's work on the job is over.
        if (error instanceof ConflictError) controller.abort(new StageStopped('moved'));
        throw error;
      }
    };

    const stage = this.spec.jobType;
    if (job.status === 'PENDING' || job.status === 'QUEUED') {
      const startedAt = new Date().toISOString();
      log(`attempt ${job.attempt} started on ${this.replicaId}`);
      try {
        await appendOrStop([lifecycleEvent(this.spec, 'started', job, { startedAt })]);
      } catch (error) {
        if (error instanceof ConflictError) return false; // stopped before it began: the stop took it out of the queue
        throw error;
      }
      job = { ...job, status: 'RUNNING', startedAt };
      jobsMetrics.workBegun.inc({ stage, how: 'started' });
      if (job.queuedAt) jobsMetrics.queueWait.observe({ stage }, Math.max(0, Date.parse(startedAt) - Date.parse(job.queuedAt)) / 1000);
    } else {
      jobsMetrics.workBegun.inc({ stage, how: claimed.takenOver ? 'taken-over' : 'resumed' });
      log(
        claimed.takenOver
          ? `attempt ${job.attempt} taken over at step ${job.step} by ${this.replicaId}: the replica running it stopped renewing its lease`
          : `attempt ${job.attempt} resumed at step ${job.step} by ${this.replicaId} after a restart`,
        'warn',
      );
    }
    // The timeout counts from RUNNING: the time a job waited in the queue is not held against it.
    const deadline = Date.parse(job.startedAt ?? new Date().toISOString()) + job.timeoutMs;
    const timer = setTimeout(() => controller.abort(new StageStopped('timeout')), Math.max(0, deadline - Date.now()));
    let chain = Promise.resolve();
    const completeStep: StageWorkContext['completeStep'] = (step, output, also = [], inTransaction) => {
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
        await appendOrStop(events, inTransaction);
        job = next ? { ...job, step: next } : { ...job, status: 'SUCCESS', finishedAt: now };
      });
      // The caller may not await every step before the work fails; the failure is seen at `await chain` below.
      chain.catch(() => undefined);
      return chain;
    };
    const runTask: StageWorkContext['runTask'] = (module, input, onProgress) =>
      this.options.pool.run(module, input, { signal: controller.signal, ...(onProgress ? { onProgress } : {}) });
    try {
      // Stopped (or shut down) while it was being started: do not begin the work at all.
      if (controller.signal.aborted) throw controller.signal.reason;
      await this.options.work(job, { signal: controller.signal, completeStep, runTask, log });
      await chain;
      if (job.status !== 'SUCCESS') throw new VistaError('internal', `${this.spec.jobType} work ended before step ${job.step} completed`);
      jobsMetrics.outcomes.inc({ stage, status: 'SUCCESS' });
      return true;
    } catch (error) {
      // Steps the work reported just before it failed may still be being appended: let them land, so
      // the failure is recorded after them (at the version they leave), in the step that was running.
      await chain.catch(() => undefined);
      const cause = controller.signal.aborted ? (controller.signal.reason as StageStopped | undefined)?.stopCause : undefined;
      if (cause === 'timeout') {
        log(`timed out after ${job.timeoutMs} ms in step ${job.step}`, 'error');
        await this.settleQuietly(() =>
          appendOrStop([lifecycleEvent(this.spec, 'timedOut', job, { timedOutAt: new Date().toISOString(), timeoutMs: job.timeoutMs })]),
        );
        jobsMetrics.outcomes.inc({ stage, status: 'TIMEOUT' });
        return true;
      }
      if (cause === undefined && isConnectionLost(error)) {
        // The database went away and did not come back within the retries: the job is not failed, it
        // is given back and resumed at its last recorded step (here or on another replica) once it is.
        this.options.logger.warn(`${stage} job of run ${runId} paused at step ${job.step}: the database connection is lost`);
        await this.queue.release(this.replicaId, [runId]).catch(() => undefined);
        return false;
      }
      if (cause === undefined && !(error instanceof ConflictError)) {
        const reason = error instanceof Error ? error.message : String(error);
        log(`failed in step ${job.step}: ${reason}`, 'error');
        await this.settleQuietly(() =>
          appendOrStop([lifecycleEvent(this.spec, 'failed', job, { failedAt: new Date().toISOString(), reason: reason.slice(0, 4000) })]),
        );
        jobsMetrics.outcomes.inc({ stage, status: 'FAILED' });
        return true;
      }
      // Cancelled (the stop took it out of the queue), shutting down (the lease is given back), or the
      // job moved on elsewhere: nothing more to record here.
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Records a job's transition, trying again (bounded, with backoff) while the database connection is
   * lost. A try after a lost connection that conflicts checks whether its own events landed (the commit
   * went through, its answer did not) and then counts as done.
   */
  private persist(runId: string, events: readonly { eventId: string }[], append: () => Promise<number>): Promise<number> {
    let lost = false;
    return retryOnConnectionLoss(
      async () => {
        try {
          return await append();
        } catch (error) {
          if (lost && error instanceof ConflictError) {
            const landed = await this.versionOf(runId, events[events.length - 1]!.eventId);
            if (landed !== undefined) return landed;
          }
          throw error;
        }
      },
      {
        attempts: 12,
        onRetry: (error, attempt) => {
          lost = true;
          this.options.logger.warn(
            `${this.spec.jobType}: recording run ${runId}'s job lost its database connection (try ${attempt}): ${(error as Error)?.message}`,
          );
        },
      },
    );
  }

  /** The stream version an event was stored at in the run's stream, if it was. */
  private async versionOf(runId: string, eventId: string): Promise<number | undefined> {
    const { rows } = await sql<{ stream_version: number }>`
      select stream_version from ${sql.id(this.options.schema, 'events')} where stream_id = ${this.streamId(runId)} and event_id = ${eventId}`.execute(
      this.options.db,
    );
    return rows[0]?.stream_version;
  }

  private async settleQuietly(append: () => Promise<void>): Promise<void> {
    try {
      await append();
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  /** Appends a job's request (and its QUEUED) and puts it in the queue, in one transaction (the caller's, if given). */
  private async appendAndQueue(
    runId: string,
    expectedVersion: number,
    events: { type: string; data: Record<string, unknown> }[],
    metadata: EventMetadata,
    queued: QueuedJob | undefined,
    trx?: Transaction<any>,
  ): Promise<void> {
    await this.inTransaction(trx, async (tx) => {
      await this.append(runId, expectedVersion, events, metadata, tx);
      if (queued) await this.queue.enqueue(queued, tx);
    });
  }

  private inTransaction<T>(trx: Transaction<any> | undefined, work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
    return trx ? work(trx) : this.options.store.inTransaction(work);
  }

  private async append(
    runId: string,
    expectedVersion: number,
    events: { type: string; data: Record<string, unknown>; eventId?: string }[],
    metadata: EventMetadata,
    trx?: Transaction<any>,
  ): Promise<number> {
    const result = await this.options.store.append({ streamId: this.streamId(runId), expectedVersion, events: events as unknown as NewEvent[] }, metadata, trx);
    return result.nextExpectedVersion;
  }

  private metadata(job: Pick<StageJob, 'kitId' | 'runId'> & { jobId?: string }, correlationId: string, actor: string, causationId?: string): EventMetadata {
    const trace = injectTraceContext();
    return {
      actor,
      correlationId,
      kitId: job.kitId,
      runId: job.runId,
      ...(job.jobId ? { jobId: job.jobId } : {}),
      ...(causationId ? { causationId } : {}),
      ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
      ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
    };
  }
}
