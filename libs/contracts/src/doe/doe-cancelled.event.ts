import { defineEvent } from '../define-event.js';
import { JobCancelledV1 } from '../job/job-payloads.js';

/** The DOE job was stopped by a user. */
export class DoeCancelledV1 extends JobCancelledV1 {}

export const DoeCancelled = defineEvent({
  type: 'DoeCancelled',
  version: 1,
  context: 'doe',
  payload: DoeCancelledV1,
  lifecycle: { jobType: 'doe', status: 'CANCELLED', task: 'doe' },
});
