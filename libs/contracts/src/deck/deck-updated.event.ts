import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { DATASET_TYPES, type DatasetType } from './deck-ingested.event.js';

/** A deck's profile changed: the event carries the whole profile after the change (the stored table never changes). */
export class DeckUpdatedV1 {
  @IsUUID() deckId!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsIn(DATASET_TYPES) datasetType!: DatasetType;
  @IsOptional() @IsString() @MaxLength(500) groundTruth?: string;
  @IsISO8601() updatedAt!: string;
}

export const DeckUpdated = defineEvent({
  type: 'DeckUpdated',
  version: 1,
  context: 'deck',
  payload: DeckUpdatedV1,
  subjectKey: (p) => `deck-${p.deckId}`,
});
