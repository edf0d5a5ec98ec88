import { defineEvent } from '../define-event.js';
import { JobQueuedV1 } from '../job/job-payloads.js';

/** The DOE job waits for a worker of the doe service (QUEUED). */
export class DoeQueuedV1 extends JobQueuedV1 {}

export const DoeQueued = defineEvent({
  type: 'DoeQueued',
  version: 1,
  context: 'doe',
  payload: DoeQueuedV1,
  lifecycle: { jobType: 'doe', status: 'QUEUED', task: 'doe' },
});
