import { defineEvent } from '../define-event.js';
import { JobTimedOutV1 } from '../job/job-payloads.js';

/** The DOE job exceeded its timeout. */
export class DoeTimedOutV1 extends JobTimedOutV1 {}

export const DoeTimedOut = defineEvent({
  type: 'DoeTimedOut',
  version: 1,
  context: 'doe',
  payload: DoeTimedOutV1,
  lifecycle: { jobType: 'doe', status: 'TIMEOUT', task: 'doe' },
});
