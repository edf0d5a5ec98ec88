import { IsISO8601, IsNumber, IsUUID } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The model was tested on held-out data; the optimiser may start. */
export class MlTestCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsUUID() modelId!: string;
  @IsNumber() rmse!: number;
  @IsNumber() mae!: number;
  @IsNumber() r2!: number;
}

export const MlTestCompleted = defineEvent({
  type: 'MlTestCompleted',
  version: 1,
  context: 'ml',
  payload: MlTestCompletedV1,
  lifecycle: { jobType: 'ml', status: 'SUCCESS', task: 'test' },
});
