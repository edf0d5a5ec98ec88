import { defineEvent } from '../define-event.js';
import { JobCancelledV1 } from '../job/job-payloads.js';

/** The optimisation job was stopped by a user. */
export class OptimizeCancelledV1 extends JobCancelledV1 {}

export const OptimizeCancelled = defineEvent({
  type: 'OptimizeCancelled',
  version: 1,
  context: 'optimize',
  payload: OptimizeCancelledV1,
  lifecycle: { jobType: 'optimize', status: 'CANCELLED', task: 'optimize' },
});
