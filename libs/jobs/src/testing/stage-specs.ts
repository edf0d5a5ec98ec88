import type { StageSpec } from '../stage-spec.js';

/** The DOE stage's spec as apps/doe declares it (a lib's tests cannot import an app). */
export const DOE_SPEC: StageSpec = {
  jobType: 'doe',
  streamPrefix: 'doe-run-',
  steps: ['doe'],
  events: {
    requested: 'DoeRequested',
    queued: 'DoeQueued',
    started: 'DoeStarted',
    failed: 'DoeFailed',
    timedOut: 'DoeTimedOut',
    cancelled: 'DoeCancelled',
    completed: { doe: 'DoeCompleted' },
  },
  stepInEvents: false,
};

/** The ML stage's spec as apps/ml declares it: four steps under one job id per attempt. */
export const ML_SPEC: StageSpec = {
  jobType: 'ml',
  streamPrefix: 'ml-run-',
  steps: ['preprocess', 'scaling', 'training', 'test'],
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
