import {
  ModelAccessDecided,
  ModelAccessGranted,
  ModelAccessRequested,
  ModelAccessRevoked,
  ModelSetUp,
  RoleGranted,
  RoleRequestDecided,
  RoleRequested,
  RoleRevoked,
  SessionEnded,
  SessionStarted,
  UserDeactivated,
  UserRegistered,
  UserUpdated,
} from './auth/auth.events.js';
import type { EventDefinition } from './define-event.js';
import type { EventEnvelope } from './envelope.js';
import { DeckCollectionCancelled } from './deck/deck-collection-cancelled.event.js';
import { DeckCollectionCompleted } from './deck/deck-collection-completed.event.js';
import { DeckCollectionFailed } from './deck/deck-collection-failed.event.js';
import { DeckCollectionRequested } from './deck/deck-collection-requested.event.js';
import { DeckCollectionStarted } from './deck/deck-collection-started.event.js';
import { DeckCollectionTimedOut } from './deck/deck-collection-timed-out.event.js';
import { DeckCollectionQueued } from './deck/deck-collection-queued.event.js';
import { DoeQueued } from './doe/doe-queued.event.js';
import { MlStepQueued } from './ml/ml-step-queued.event.js';
import { OptimizeQueued } from './optimize/optimize-queued.event.js';
import { DeckIngested } from './deck/deck-ingested.event.js';
import { DoeCancelled } from './doe/doe-cancelled.event.js';
import { DoeCompleted } from './doe/doe-completed.event.js';
import { DoeFailed } from './doe/doe-failed.event.js';
import { DoeRequested } from './doe/doe-requested.event.js';
import { DoeStarted } from './doe/doe-started.event.js';
import { DoeTimedOut } from './doe/doe-timed-out.event.js';
import { JobLogged } from './job/job-logged.event.js';
import { KitRunRetried } from './kit-run/kit-run-retried.event.js';
import { KitRunStarted } from './kit-run/kit-run-started.event.js';
import { KitRunStopped } from './kit-run/kit-run-stopped.event.js';
import { MlPreprocessCompleted } from './ml/ml-preprocess-completed.event.js';
import { MlScalingCompleted } from './ml/ml-scaling-completed.event.js';
import { MlStepCancelled } from './ml/ml-step-cancelled.event.js';
import { MlStepFailed } from './ml/ml-step-failed.event.js';
import { MlStepRequested } from './ml/ml-step-requested.event.js';
import { MlStepStarted } from './ml/ml-step-started.event.js';
import { MlStepTimedOut } from './ml/ml-step-timed-out.event.js';
import { MlTestCompleted } from './ml/ml-test-completed.event.js';
import { MlTrainingCompleted } from './ml/ml-training-completed.event.js';
import { ModelRegistered } from './ml/model-registered.event.js';
import { OptimizeCancelled } from './optimize/optimize-cancelled.event.js';
import { OptimizeCompleted } from './optimize/optimize-completed.event.js';
import { OptimizeFailed } from './optimize/optimize-failed.event.js';
import { OptimizeRequested } from './optimize/optimize-requested.event.js';
import { OptimizeStarted } from './optimize/optimize-started.event.js';
import { OptimizeTimedOut } from './optimize/optimize-timed-out.event.js';
import { LatencyCollectionFailed } from './metrics/latency-collection-failed.event.js';
import { LatencyMetricsCollected } from './metrics/latency-metrics-collected.event.js';
import { DeckArchived } from './deck/deck-archived.event.js';
import { DeckUpdated } from './deck/deck-updated.event.js';
import { KitArchived } from './kit/kit-archived.event.js';
import { KitCreated } from './kit/kit-created.event.js';
import { KitUpdated } from './kit/kit-updated.event.js';
import { ProjectCreated } from './project/project-created.event.js';
import { LotRowAdded } from './lot-tracking/lot-row-added.event.js';
import { LotRowUpdated } from './lot-tracking/lot-row-updated.event.js';
import { LotRowRetired } from './lot-tracking/lot-row-retired.event.js';
import { LotBatchStarted } from './lot-tracking/lot-batch-started.event.js';
import { LotBatchCompleted } from './lot-tracking/lot-batch-completed.event.js';
import { LotBatchUnchanged } from './lot-tracking/lot-batch-unchanged.event.js';
import { LotBatchFailed } from './lot-tracking/lot-batch-failed.event.js';

/** Every event of the kit pipeline, by name: the one place to look an event up. */
export const catalogue = {
  KitRunStarted,
  KitRunStopped,
  KitRunRetried,
  JobLogged,
  DeckIngested,
  DeckCollectionRequested,
  DeckCollectionQueued,
  DeckCollectionStarted,
  DeckCollectionCompleted,
  DeckCollectionFailed,
  DeckCollectionTimedOut,
  DeckCollectionCancelled,
  DoeRequested,
  DoeQueued,
  DoeStarted,
  DoeCompleted,
  DoeFailed,
  DoeTimedOut,
  DoeCancelled,
  MlStepRequested,
  MlStepQueued,
  MlStepStarted,
  MlPreprocessCompleted,
  MlScalingCompleted,
  MlTrainingCompleted,
  MlTestCompleted,
  MlStepFailed,
  MlStepTimedOut,
  MlStepCancelled,
  ModelRegistered,
  OptimizeRequested,
  OptimizeQueued,
  OptimizeStarted,
  OptimizeCompleted,
  OptimizeFailed,
  OptimizeTimedOut,
  OptimizeCancelled,
  LatencyMetricsCollected,
  LatencyCollectionFailed,
  UserRegistered,
  UserUpdated,
  UserDeactivated,
  SessionStarted,
  SessionEnded,
  RoleRequested,
  RoleRequestDecided,
  RoleGranted,
  RoleRevoked,
  ModelSetUp,
  ModelAccessRequested,
  ModelAccessDecided,
  ModelAccessGranted,
  ModelAccessRevoked,
  DeckUpdated,
  DeckArchived,
  KitCreated,
  KitUpdated,
  KitArchived,
  ProjectCreated,
  LotRowAdded,
  LotRowUpdated,
  LotRowRetired,
  LotBatchStarted,
  LotBatchCompleted,
  LotBatchUnchanged,
  LotBatchFailed,
} as const;

type Catalogue = typeof catalogue;
export type EventName = keyof Catalogue;
export type PayloadOf<N extends EventName> = Catalogue[N] extends EventDefinition<string, infer P> ? P : never;
export type EnvelopeOf<N extends EventName> = EventEnvelope<PayloadOf<N>> & { type: N };
export type AnyEventDefinition = Catalogue[EventName];

/** The definition of an event type, or undefined for a name the catalogue does not know. */
export function findEvent(type: string): AnyEventDefinition | undefined {
  return Object.hasOwn(catalogue, type) ? catalogue[type as EventName] : undefined;
}
