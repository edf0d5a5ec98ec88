import { IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';

export const DATASET_TYPES = ['Vector', 'Surf', 'Jetson'] as const;
export type DatasetType = (typeof DATASET_TYPES)[number];

/** A deck (table of factor and response columns) was validated and stored, with its statistics. */
export class DeckIngestedV1 {
  @IsUUID() deckId!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsIn(DATASET_TYPES) datasetType!: DatasetType;
  @IsIn(['csv', 'json']) format!: 'csv' | 'json';
  @IsArray() @IsString({ each: true }) factors!: string[];
  @IsArray() @IsString({ each: true }) responses!: string[];
  @IsInt() @Min(1) rowCount!: number;
  /** Per-column statistics (count, missing, min, max, mean, std, median, distinct). */
  @IsObject() statistics!: Record<string, unknown>;
  /** Reference (URI or id) of the ground truth this dataset is judged against. */
  @IsOptional() @IsString() @MaxLength(500) groundTruth?: string;
  @IsISO8601() ingestedAt!: string;
}

export const DeckIngested = defineEvent({
  type: 'DeckIngested',
  version: 1,
  context: 'deck',
  payload: DeckIngestedV1,
  subjectKey: (p) => `deck-${p.deckId}`,
});
