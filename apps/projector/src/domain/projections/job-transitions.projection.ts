import { lifecycleProjection } from './job-lifecycle.projection.js';

/** Transitions that carry no result: the stage row and the state move, the times and reason recorded. */
export const JOB_TRANSITION_PROJECTIONS = [
  lifecycleProjection('DeckCollectionQueued'),
  lifecycleProjection('DeckCollectionStarted'),
  lifecycleProjection('DeckCollectionFailed'),
  lifecycleProjection('DeckCollectionTimedOut'),
  lifecycleProjection('DeckCollectionCancelled'),
  lifecycleProjection('DoeRequested'),
  lifecycleProjection('DoeQueued'),
  lifecycleProjection('DoeStarted'),
  lifecycleProjection('DoeFailed'),
  lifecycleProjection('DoeTimedOut'),
  lifecycleProjection('DoeCancelled'),
  lifecycleProjection('MlStepRequested'),
  lifecycleProjection('MlStepQueued'),
  lifecycleProjection('MlStepStarted'),
  lifecycleProjection('MlStepFailed'),
  lifecycleProjection('MlStepTimedOut'),
  lifecycleProjection('MlStepCancelled'),
  lifecycleProjection('OptimizeRequested'),
  lifecycleProjection('OptimizeQueued'),
  lifecycleProjection('OptimizeStarted'),
  lifecycleProjection('OptimizeFailed'),
  lifecycleProjection('OptimizeTimedOut'),
  lifecycleProjection('OptimizeCancelled'),
];
