import type { EventName } from '@vista/contracts';
import { DeckCollectionCompletedProjection } from './deck-collection-completed.projection.js';
import { DeckCollectionRequestedProjection } from './deck-collection-requested.projection.js';
import { DeckIngestedProjection } from './deck-ingested.projection.js';
import { DoeCompletedProjection } from './doe-completed.projection.js';
import { JobLoggedProjection } from './job-logged.projection.js';
import { JOB_TRANSITION_PROJECTIONS } from './job-transitions.projection.js';
import { KitRunRetriedProjection, KitRunStoppedProjection } from './kit-run-control.projection.js';
import { KitRunStartedProjection } from './kit-run-started.projection.js';
import { MlPreprocessCompletedProjection } from './ml-preprocess-completed.projection.js';
import { MlScalingCompletedProjection } from './ml-scaling-completed.projection.js';
import { MlTestCompletedProjection } from './ml-test-completed.projection.js';
import { MlTrainingCompletedProjection } from './ml-training-completed.projection.js';
import { ModelAccessGrantedProjection } from './model-access-granted.projection.js';
import { ModelAccessRevokedProjection } from './model-access-revoked.projection.js';
import { ModelRegisteredProjection } from './model-registered.projection.js';
import { ModelSetUpProjection } from './model-set-up.projection.js';
import { OptimizeCompletedProjection } from './optimize-completed.projection.js';
import type { EventProjection } from './projection.js';
import { RoleGrantedProjection } from './role-granted.projection.js';
import { RoleRequestDecidedProjection } from './role-request-decided.projection.js';
import { RoleRequestedProjection } from './role-requested.projection.js';
import { RoleRevokedProjection } from './role-revoked.projection.js';
import { UserDeactivatedProjection } from './user-deactivated.projection.js';
import { UserRegisteredProjection } from './user-registered.projection.js';
import { UserUpdatedProjection } from './user-updated.projection.js';
import { DeckArchivedProjection, DeckUpdatedProjection } from './deck-profile.projection.js';
import { KitArchivedProjection, KitCreatedProjection, KitUpdatedProjection } from './kit-definition.projection.js';
import { ProjectCreatedProjection } from './project-created.projection.js';

export { lifecycleOf, type Lifecycle } from './job-lifecycle.projection.js';
export * from './projection.js';

const ALL: readonly EventProjection<any>[] = [
  KitRunStartedProjection,
  KitRunStoppedProjection,
  KitRunRetriedProjection,
  DeckCollectionRequestedProjection,
  DeckCollectionCompletedProjection,
  DoeCompletedProjection,
  MlPreprocessCompletedProjection,
  MlScalingCompletedProjection,
  MlTrainingCompletedProjection,
  MlTestCompletedProjection,
  OptimizeCompletedProjection,
  ...JOB_TRANSITION_PROJECTIONS,
  JobLoggedProjection,
  DeckIngestedProjection,
  ModelRegisteredProjection,
  UserRegisteredProjection,
  UserUpdatedProjection,
  UserDeactivatedProjection,
  RoleRequestedProjection,
  RoleRequestDecidedProjection,
  RoleGrantedProjection,
  RoleRevokedProjection,
  ModelSetUpProjection,
  ModelAccessGrantedProjection,
  ModelAccessRevokedProjection,
  DeckUpdatedProjection,
  DeckArchivedProjection,
  KitCreatedProjection,
  KitUpdatedProjection,
  KitArchivedProjection,
  ProjectCreatedProjection,
];

/** The projection of each event the read model shows, by event name; a known event without one is applied as a no-op. */
export const PROJECTIONS: ReadonlyMap<string, EventProjection<any>> = new Map(ALL.map((p) => [p.event as EventName, p]));
