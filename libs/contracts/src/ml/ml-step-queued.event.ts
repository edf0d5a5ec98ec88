import { IsIn } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobQueuedV1, ML_STEP_VALUES } from '../job/job-payloads.js';

/** The ML job waits for a worker of the ml service (QUEUED), before its first step. */
export class MlStepQueuedV1 extends JobQueuedV1 {
  @IsIn(ML_STEP_VALUES) step!: 'preprocess' | 'scaling' | 'training' | 'test';
}

export const MlStepQueued = defineEvent({
  type: 'MlStepQueued',
  version: 1,
  context: 'ml',
  payload: MlStepQueuedV1,
  lifecycle: { jobType: 'ml', status: 'QUEUED', task: (p) => p.step },
});
