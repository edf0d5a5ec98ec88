import { IsISO8601, IsObject, IsString, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The features were scaled. */
export class MlScalingCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsString() @MaxLength(50) method!: string;
  /** The fitted scaler's parameters, saved with the model. */
  @IsObject() scaler!: Record<string, unknown>;
}

export const MlScalingCompleted = defineEvent({
  type: 'MlScalingCompleted',
  version: 1,
  context: 'ml',
  payload: MlScalingCompletedV1,
  lifecycle: { jobType: 'ml', status: 'SUCCESS', task: 'scaling' },
});
