import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** The design generated and labelled: its type, size, dataset and data description. */
export const DoeCompletedProjection = lifecycleProjection('DoeCompleted', {
  result: resultOf,
  stageColumns: (p) => ({ data_info: p.dataInfo }),
});
