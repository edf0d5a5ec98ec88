import { IsISO8601, IsString, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { MlStepRefV1 } from '../job/job-payloads.js';

/** An ML step was stopped by a user. */
export class MlStepCancelledV1 extends MlStepRefV1 {
  @IsISO8601() cancelledAt!: string;
  @IsString() @MaxLength(4000) reason!: string;
}

export const MlStepCancelled = defineEvent({
  type: 'MlStepCancelled',
  version: 1,
  context: 'ml',
  payload: MlStepCancelledV1,
  lifecycle: { jobType: 'ml', status: 'CANCELLED', task: (p) => p.step },
});
