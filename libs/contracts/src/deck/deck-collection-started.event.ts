import { defineEvent } from '../define-event.js';
import { JobStartedV1 } from '../job/job-payloads.js';

/** The deck-collection job began work (RUNNING). */
export class DeckCollectionStartedV1 extends JobStartedV1 {}

export const DeckCollectionStarted = defineEvent({
  type: 'DeckCollectionStarted',
  version: 1,
  context: 'deck',
  payload: DeckCollectionStartedV1,
  lifecycle: { jobType: 'deck', status: 'RUNNING', task: 'deck_collection' },
});
