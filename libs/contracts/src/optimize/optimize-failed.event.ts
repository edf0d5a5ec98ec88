import { defineEvent } from '../define-event.js';
import { JobFailedV1 } from '../job/job-payloads.js';

/** The optimisation job failed; the reason says why. */
export class OptimizeFailedV1 extends JobFailedV1 {}

export const OptimizeFailed = defineEvent({
  type: 'OptimizeFailed',
  version: 1,
  context: 'optimize',
  payload: OptimizeFailedV1,
  lifecycle: { jobType: 'optimize', status: 'FAILED', task: 'optimize' },
});
