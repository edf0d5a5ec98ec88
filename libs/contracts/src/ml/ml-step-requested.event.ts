import { IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { MlStepRefV1 } from '../job/job-payloads.js';

/** An ML step was queued (PENDING). */
export class MlStepRequestedV1 extends MlStepRefV1 {
  @IsISO8601() requestedAt!: string;
  @IsInt() @Min(1) timeoutMs!: number;
  /** The DOE dataset the ML job works on. */
  @IsUUID() datasetId!: string;
  @IsInt() @Min(1) stepOrder!: number;
}

export const MlStepRequested = defineEvent({
  type: 'MlStepRequested',
  version: 1,
  context: 'ml',
  payload: MlStepRequestedV1,
  lifecycle: { jobType: 'ml', status: 'PENDING', task: (p) => p.step },
});
