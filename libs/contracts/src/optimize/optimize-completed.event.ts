import { IsInt, IsISO8601, IsObject, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The optimisation finished with its best result (SUCCESS). */
export class OptimizeCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsUUID() modelId!: string;
  /** Best factor settings found, by factor name. */
  @IsObject() bestFactors!: Record<string, number>;
  /** The model's prediction at the best settings. */
  @IsObject() predicted!: Record<string, number>;
  @IsInt() @Min(1) evaluations!: number;
}

export const OptimizeCompleted = defineEvent({
  type: 'OptimizeCompleted',
  version: 1,
  context: 'optimize',
  payload: OptimizeCompletedV1,
  lifecycle: { jobType: 'optimize', status: 'SUCCESS', task: 'optimize' },
});
