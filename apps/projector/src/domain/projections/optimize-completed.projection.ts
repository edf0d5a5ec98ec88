import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** The best settings found, the prediction there, and the search's trace. */
export const OptimizeCompletedProjection = lifecycleProjection('OptimizeCompleted', { result: resultOf });
