import { defineEvent } from '../define-event.js';
import { JobTimedOutV1 } from '../job/job-payloads.js';

/** The deck-collection job exceeded its timeout. */
export class DeckCollectionTimedOutV1 extends JobTimedOutV1 {}

export const DeckCollectionTimedOut = defineEvent({
  type: 'DeckCollectionTimedOut',
  version: 1,
  context: 'deck',
  payload: DeckCollectionTimedOutV1,
  lifecycle: { jobType: 'deck', status: 'TIMEOUT', task: 'deck_collection' },
});
