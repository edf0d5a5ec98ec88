import type { StageSpec } from '@vista/jobs';

/** The optimize stage's job: one step, `optimize`, in the `optimize-run-<runId>` stream. */
export const OPTIMIZE_STAGE: StageSpec = {
  jobType: 'optimize',
  streamPrefix: 'optimize-run-',
  steps: ['optimize'],
  events: {
    requested: 'OptimizeRequested',
    queued: 'OptimizeQueued',
    started: 'OptimizeStarted',
    failed: 'OptimizeFailed',
    timedOut: 'OptimizeTimedOut',
    cancelled: 'OptimizeCancelled',
    completed: { optimize: 'OptimizeCompleted' },
  },
  stepInEvents: false,
};
