import { defineEvent } from '../define-event.js';
import { JobStartedV1 } from '../job/job-payloads.js';

/** The optimisation job began searching (RUNNING). */
export class OptimizeStartedV1 extends JobStartedV1 {}

export const OptimizeStarted = defineEvent({
  type: 'OptimizeStarted',
  version: 1,
  context: 'optimize',
  payload: OptimizeStartedV1,
  lifecycle: { jobType: 'optimize', status: 'RUNNING', task: 'optimize' },
});
