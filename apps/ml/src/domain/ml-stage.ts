import { ML_STEPS } from '@vista/contracts';
import type { StageSpec } from '@vista/jobs';

/** The ML stage's job: four steps sharing one job id per attempt, in the `ml-run-<runId>` stream. */
export const ML_STAGE: StageSpec = {
  jobType: 'ml',
  streamPrefix: 'ml-run-',
  steps: ML_STEPS,
  events: {
    requested: 'MlStepRequested',
    queued: 'MlStepQueued',
    started: 'MlStepStarted',
    failed: 'MlStepFailed',
    timedOut: 'MlStepTimedOut',
    cancelled: 'MlStepCancelled',
    completed: { preprocess: 'MlPreprocessCompleted', scaling: 'MlScalingCompleted', training: 'MlTrainingCompleted', test: 'MlTestCompleted' },
  },
  stepInEvents: true,
};
