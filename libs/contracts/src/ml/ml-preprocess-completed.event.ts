import { IsInt, IsISO8601, IsObject, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** Missing values and outliers were handled. */
export class MlPreprocessCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsInt() @Min(0) rowsIn!: number;
  @IsInt() @Min(0) rowsOut!: number;
  /** Counts of imputed missing values and removed outliers, by column. */
  @IsObject() report!: Record<string, unknown>;
}

export const MlPreprocessCompleted = defineEvent({
  type: 'MlPreprocessCompleted',
  version: 1,
  context: 'ml',
  payload: MlPreprocessCompletedV1,
  lifecycle: { jobType: 'ml', status: 'SUCCESS', task: 'preprocess' },
});
