import { IsISO8601 } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { MlStepRefV1 } from '../job/job-payloads.js';

/** An ML step began (RUNNING). */
export class MlStepStartedV1 extends MlStepRefV1 {
  @IsISO8601() startedAt!: string;
}

export const MlStepStarted = defineEvent({
  type: 'MlStepStarted',
  version: 1,
  context: 'ml',
  payload: MlStepStartedV1,
  lifecycle: { jobType: 'ml', status: 'RUNNING', task: (p) => p.step },
});
