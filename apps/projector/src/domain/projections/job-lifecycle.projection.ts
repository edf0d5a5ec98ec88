import {
  type DeliveredEvent,
  type EventName,
  findEvent,
  type JobStatus,
  type JobType,
  ML_STEPS,
  type PayloadOf,
  TASK_ORDER,
  type TaskName,
} from '@vista/contracts';
import { summaryOf } from '@vista/read-model';
import type { Json, StageRow } from '../read-model.rows.js';
import { runStatusOf } from '../run-status.js';
import { UnfoldableEventError } from '../unfoldable-event.error.js';
import { type EventProjection, optionalTimestamp, projection, type ProjectionContext } from './projection.js';

export interface Lifecycle {
  readonly jobType: JobType;
  readonly status: JobStatus;
  readonly task: TaskName;
  readonly order: number;
}

interface JobRef {
  kitId: number;
  runId: string;
  jobId: string;
  attempt: number;
}

const REF_FIELDS = new Set(['kitId', 'runId', 'jobId', 'attempt', 'step']);

/** The job transition an event records, or undefined for events outside the job lifecycle. */
export function lifecycleOf(event: DeliveredEvent<object>): Lifecycle | undefined {
  const lifecycle = findEvent(event.envelope.type)?.lifecycle;
  if (!lifecycle) return undefined;
  const task = (typeof lifecycle.task === 'function' ? (lifecycle.task as (p: object) => TaskName)(event.envelope.data) : lifecycle.task) as TaskName;
  const order = TASK_ORDER[task];
  if (order === undefined) throw new UnfoldableEventError(`${event.envelope.type} names an unknown task "${task}"`, event.position);
  return { jobType: lifecycle.jobType, status: lifecycle.status, task, order };
}

/** The event-specific part of a payload: everything but the job reference. */
export function detailOf(payload: object): Json {
  const detail: Json = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!REF_FIELDS.has(key) && value !== undefined) detail[key] = value;
  }
  return detail;
}

/** A completion's result: its detail without the completion time and what travels along the chain. */
export function resultOf(payload: object): Json {
  const { completedAt: _completedAt, chain: _chain, params: _params, ...result } = detailOf(payload);
  return result;
}

/**
 * A job lifecycle event (requested, queued, started, completed, failed, timed out, cancelled): it moves
 * the kit, the run, the kit's state row for the task and the job attempt's stage row; a completion
 * also records its result on the stage row (`stageColumns` adds the stage's own columns).
 */
export function lifecycleProjection<N extends EventName>(
  event: N,
  options: { result?: (payload: PayloadOf<N>) => Json; stageColumns?: (payload: PayloadOf<N>) => Record<string, unknown> } = {},
): EventProjection<N> {
  return projection(event, (payload, ctx) =>
    projectTransition(payload as JobRef & Json, ctx, options.result?.(payload) ?? null, options.stageColumns?.(payload)),
  );
}

function projectTransition(p: JobRef & Json, ctx: ProjectionContext, result: Json | null, stageColumns: Record<string, unknown> | undefined): void {
  const { event, position, occurredAt } = ctx;
  const lifecycle = lifecycleOf(event)!;
  ctx.touchKit(p.kitId);
  const runStatus = runStatusOf(lifecycle.status, lifecycle.task);
  const detail = detailOf(p);
  const startedAt = optionalTimestamp(p.startedAt, event);
  const finishedAt = optionalTimestamp(p.completedAt ?? p.failedAt ?? p.timedOutAt ?? p.cancelledAt, event);
  const reason = typeof p.reason === 'string' ? p.reason : null;
  ctx.put('kits', {
    kit_id: p.kitId,
    last_run_id: p.runId,
    status: runStatus,
    current_task: lifecycle.task,
    current_order: lifecycle.order,
    runs: 0,
    owner: null,
    definition: null,
    created_at: occurredAt,
    updated_at: occurredAt,
    position,
  });
  ctx.put('runs', {
    run_id: p.runId,
    kit_id: p.kitId,
    deck_id: null,
    source_path: null,
    params: null,
    started_at: null,
    status: runStatus,
    last_control: null,
    started_by: null,
    position,
  });
  ctx.put('kit_state', {
    kit_id: p.kitId,
    job_type: lifecycle.jobType,
    task_name: lifecycle.task,
    job_id: p.jobId,
    run_id: p.runId,
    attempt: p.attempt,
    status: lifecycle.status,
    current_order: lifecycle.order,
    created_at: occurredAt,
    started_at: startedAt,
    finished_at: finishedAt,
    reason,
    metadata: { event: event.envelope.type, ...detail },
    position,
  });
  const stage: StageRow = {
    job_id: p.jobId,
    run_id: p.runId,
    kit_id: p.kitId,
    attempt: p.attempt,
    status: lifecycle.status,
    reason,
    requested_at: optionalTimestamp(p.requestedAt, event),
    started_at: startedAt,
    finished_at: finishedAt,
    timeout_ms: typeof p.timeoutMs === 'number' ? p.timeoutMs : null,
    created_at: occurredAt,
    updated_at: occurredAt,
    metadata: { [event.envelope.type]: detail },
    result,
    summary: summaryOf(result, lifecycle.task),
    position,
  };
  switch (lifecycle.jobType) {
    case 'deck':
      ctx.put('deck_collection', { ...stage, deck_id: null, source_path: null, row_count: null, factors: null, responses: null, ...stageColumns });
      break;
    case 'doe':
      ctx.put('doe_step', { ...stage, data_info: null, ...stageColumns });
      break;
    case 'ml':
      ctx.put('ml_step', { ...stage, step_name: lifecycle.task, step_order: ML_STEPS.indexOf(lifecycle.task as never) + 1 });
      break;
    case 'optimize':
      ctx.put('optimize_step', stage);
      break;
  }
}
