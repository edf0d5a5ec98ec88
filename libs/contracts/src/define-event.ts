import type { JobStatus, JobType, TaskName } from './job/job-status.js';
import type { ClassOf } from './validation.js';

export type BoundedContext = 'run' | 'deck' | 'doe' | 'ml' | 'optimize' | 'auth' | 'lot' | 'metrics' | 'projector' | 'lot-tracking';

/** How a lifecycle event moves a job in the state table (`state_history` / `kit_state`). */
export interface LifecycleEffect<TPayload> {
  readonly jobType: JobType;
  readonly status: JobStatus;
  /** Task name: fixed for single-task jobs, derived from the payload for ML steps. */
  readonly task: TaskName | ((payload: TPayload) => TaskName);
}

export interface EventDefinition<TType extends string = string, TPayload extends object = object> {
  readonly kind: 'event';
  readonly type: TType;
  readonly version: number;
  readonly context: BoundedContext;
  readonly payload: ClassOf<TPayload>;
  /** The subject token after the context: the kit id, or another key for events outside a kit. */
  readonly subjectKey: (payload: TPayload) => string | number;
  readonly lifecycle?: LifecycleEffect<TPayload>;
}

/** Declares an event contract; the subject is derived, never hand-written elsewhere. */
export function defineEvent<TType extends string, TPayload extends object>(definition: {
  type: TType;
  version: number;
  context: BoundedContext;
  payload: ClassOf<TPayload>;
  subjectKey?: (payload: TPayload) => string | number;
  lifecycle?: LifecycleEffect<TPayload>;
}): EventDefinition<TType, TPayload> {
  return {
    kind: 'event',
    subjectKey: (payload) => (payload as { kitId?: number }).kitId ?? '_',
    ...definition,
  };
}
