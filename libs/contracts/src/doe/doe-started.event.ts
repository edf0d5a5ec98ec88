import { defineEvent } from '../define-event.js';
import { JobStartedV1 } from '../job/job-payloads.js';

/** The DOE job began generating its design (RUNNING). */
export class DoeStartedV1 extends JobStartedV1 {}

export const DoeStarted = defineEvent({
  type: 'DoeStarted',
  version: 1,
  context: 'doe',
  payload: DoeStartedV1,
  lifecycle: { jobType: 'doe', status: 'RUNNING', task: 'doe' },
});
