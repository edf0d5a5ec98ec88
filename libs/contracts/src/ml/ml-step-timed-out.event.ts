import { IsInt, IsISO8601, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { MlStepRefV1 } from '../job/job-payloads.js';

/** An ML step exceeded its timeout. */
export class MlStepTimedOutV1 extends MlStepRefV1 {
  @IsISO8601() timedOutAt!: string;
  @IsInt() @Min(1) timeoutMs!: number;
}

export const MlStepTimedOut = defineEvent({
  type: 'MlStepTimedOut',
  version: 1,
  context: 'ml',
  payload: MlStepTimedOutV1,
  lifecycle: { jobType: 'ml', status: 'TIMEOUT', task: (p) => p.step },
});
