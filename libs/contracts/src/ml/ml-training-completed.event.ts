import { IsISO8601, IsObject, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** A model was trained. */
export class MlTrainingCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsUUID() modelId!: string;
  @IsString() @MaxLength(50) algorithm!: string;
  @IsObject() hyperparameters!: Record<string, unknown>;
}

export const MlTrainingCompleted = defineEvent({
  type: 'MlTrainingCompleted',
  version: 1,
  context: 'ml',
  payload: MlTrainingCompletedV1,
  lifecycle: { jobType: 'ml', status: 'SUCCESS', task: 'training' },
});
