import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { DATASET_TYPES, type DatasetType } from './deck-ingested.event.js';

/**
 * A deck was archived: hidden from default lists, still readable by id and still in the log (nothing
 * is deleted). Carries the profile it was archived with.
 */
export class DeckArchivedV1 {
  @IsUUID() deckId!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsIn(DATASET_TYPES) datasetType!: DatasetType;
  @IsOptional() @IsString() @MaxLength(500) groundTruth?: string;
  @IsISO8601() archivedAt!: string;
}

export const DeckArchived = defineEvent({
  type: 'DeckArchived',
  version: 1,
  context: 'deck',
  payload: DeckArchivedV1,
  subjectKey: (p) => `deck-${p.deckId}`,
});
