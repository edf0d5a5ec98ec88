import { defineEvent } from '../define-event.js';
import { JobTimedOutV1 } from '../job/job-payloads.js';

/** The optimisation job exceeded its timeout. */
export class OptimizeTimedOutV1 extends JobTimedOutV1 {}

export const OptimizeTimedOut = defineEvent({
  type: 'OptimizeTimedOut',
  version: 1,
  context: 'optimize',
  payload: OptimizeTimedOutV1,
  lifecycle: { jobType: 'optimize', status: 'TIMEOUT', task: 'optimize' },
});
