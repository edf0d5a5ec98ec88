import { defineEvent } from '../define-event.js';
import { JobCancelledV1 } from '../job/job-payloads.js';

/** The deck-collection job was stopped by a user. */
export class DeckCollectionCancelledV1 extends JobCancelledV1 {}

export const DeckCollectionCancelled = defineEvent({
  type: 'DeckCollectionCancelled',
  version: 1,
  context: 'deck',
  payload: DeckCollectionCancelledV1,
  lifecycle: { jobType: 'deck', status: 'CANCELLED', task: 'deck_collection' },
});
