import { defineEvent } from '../define-event.js';
import { JobFailedV1 } from '../job/job-payloads.js';

/** The DOE job failed; the reason says why. */
export class DoeFailedV1 extends JobFailedV1 {}

export const DoeFailed = defineEvent({
  type: 'DoeFailed',
  version: 1,
  context: 'doe',
  payload: DoeFailedV1,
  lifecycle: { jobType: 'doe', status: 'FAILED', task: 'doe' },
});
