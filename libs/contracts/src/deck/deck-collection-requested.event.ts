import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRequestedV1 } from '../job/job-payloads.js';

/** A deck-collection job was created (PENDING). */
export class DeckCollectionRequestedV1 extends JobRequestedV1 {
  /** The uploaded deck to collect, when the run names one. */
  @IsOptional() @IsUUID() deckId?: string;
  /** Or a file (relative to the configured deck folder) to read. */
  @IsOptional() @IsString() @MaxLength(500) sourcePath?: string;
}

export const DeckCollectionRequested = defineEvent({
  type: 'DeckCollectionRequested',
  version: 1,
  context: 'deck',
  payload: DeckCollectionRequestedV1,
  lifecycle: { jobType: 'deck', status: 'PENDING', task: 'deck_collection' },
});
