import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** The scaling method and the fitted scaler. */
export const MlScalingCompletedProjection = lifecycleProjection('MlScalingCompleted', { result: resultOf });
