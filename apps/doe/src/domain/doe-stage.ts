import type { StageSpec } from '@vista/jobs';

/** The DOE stage's job: one step, `doe`, in the `doe-run-<runId>` stream. */
export const DOE_STAGE: StageSpec = {
  jobType: 'doe',
  streamPrefix: 'doe-run-',
  steps: ['doe'],
  events: {
    requested: 'DoeRequested',
    queued: 'DoeQueued',
    started: 'DoeStarted',
    failed: 'DoeFailed',
    timedOut: 'DoeTimedOut',
    cancelled: 'DoeCancelled',
    completed: { doe: 'DoeCompleted' },
  },
  stepInEvents: false,
};
