import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** Rows in and out, and the cleaning report. */
export const MlPreprocessCompletedProjection = lifecycleProjection('MlPreprocessCompleted', { result: resultOf });
