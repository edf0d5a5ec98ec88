import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** The model's held-out figures (RMSE, MAE, R²) and validation. */
export const MlTestCompletedProjection = lifecycleProjection('MlTestCompleted', { result: resultOf });
