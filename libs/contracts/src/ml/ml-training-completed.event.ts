import { IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** A model was trained. */
export class MlTrainingCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsUUID() modelId!: string;
  @IsString() @MaxLength(50) algorithm!: string;
  @IsObject() hyperparameters!: Record<string, unknown>;
  @IsOptional() @IsInt() @Min(1) trainingRows?: number;
  /** R² on the rows the model was trained on (compare with the test's to judge over-fitting). */
  @IsOptional() @IsNumber() trainingR2?: number;
}

export const MlTrainingCompleted = defineEvent({
  type: 'MlTrainingCompleted',
  version: 1,
  context: 'ml',
  payload: MlTrainingCompletedV1,
  lifecycle: { jobType: 'ml', status: 'SUCCESS', task: 'training' },
});
