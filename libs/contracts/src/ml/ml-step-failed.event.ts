import { IsISO8601, IsString, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { MlStepRefV1 } from '../job/job-payloads.js';

/** An ML step failed; the chain stops. */
export class MlStepFailedV1 extends MlStepRefV1 {
  @IsISO8601() failedAt!: string;
  @IsString() @MaxLength(4000) reason!: string;
}

export const MlStepFailed = defineEvent({
  type: 'MlStepFailed',
  version: 1,
  context: 'ml',
  payload: MlStepFailedV1,
  lifecycle: { jobType: 'ml', status: 'FAILED', task: (p) => p.step },
});
