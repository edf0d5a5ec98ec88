import { defineEvent } from '../define-event.js';
import { JobQueuedV1 } from '../job/job-payloads.js';

/** The optimize job waits for a worker of the optimize service (QUEUED). */
export class OptimizeQueuedV1 extends JobQueuedV1 {}

export const OptimizeQueued = defineEvent({
  type: 'OptimizeQueued',
  version: 1,
  context: 'optimize',
  payload: OptimizeQueuedV1,
  lifecycle: { jobType: 'optimize', status: 'QUEUED', task: 'optimize' },
});
