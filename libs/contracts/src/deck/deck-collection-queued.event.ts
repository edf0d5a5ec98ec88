import { defineEvent } from '../define-event.js';
import { JobQueuedV1 } from '../job/job-payloads.js';

/** The deck-collection job waits for a worker of the deck service (QUEUED). */
export class DeckCollectionQueuedV1 extends JobQueuedV1 {}

export const DeckCollectionQueued = defineEvent({
  type: 'DeckCollectionQueued',
  version: 1,
  context: 'deck',
  payload: DeckCollectionQueuedV1,
  lifecycle: { jobType: 'deck', status: 'QUEUED', task: 'deck_collection' },
});
