import { defineEvent } from '../define-event.js';
import { JobFailedV1 } from '../job/job-payloads.js';

/** The deck-collection job failed; the reason says why. */
export class DeckCollectionFailedV1 extends JobFailedV1 {}

export const DeckCollectionFailed = defineEvent({
  type: 'DeckCollectionFailed',
  version: 1,
  context: 'deck',
  payload: DeckCollectionFailedV1,
  lifecycle: { jobType: 'deck', status: 'FAILED', task: 'deck_collection' },
});
