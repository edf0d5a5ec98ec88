import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** The trained model, its algorithm and hyperparameters. */
export const MlTrainingCompletedProjection = lifecycleProjection('MlTrainingCompleted', { result: resultOf });
