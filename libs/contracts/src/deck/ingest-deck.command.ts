import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { DATASET_TYPES, type DatasetType } from './deck-ingested.event.js';

/** Validates and stores an uploaded deck; the file itself waits in the uploads object store. */
export class IngestDeckV1 {
  /** Name of the object in the uploads bucket holding the file. */
  @IsString() @Matches(/^[\w-]{1,100}$/) uploadKey!: string;
  @IsString() @MaxLength(200) @Matches(/\S/) name!: string;
  @IsIn(['csv', 'json']) format!: 'csv' | 'json';
  @IsIn(DATASET_TYPES) datasetType!: DatasetType;
  @IsOptional() @IsString() @MaxLength(500) groundTruth?: string;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsString({ each: true }) factors?: string[];
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsString({ each: true }) responses?: string[];
}

export interface IngestDeckResult {
  readonly deckId: string;
  readonly rowCount: number;
  readonly factors: string[];
  readonly responses: string[];
}

export const IngestDeck = defineCommand<'IngestDeck', IngestDeckV1, IngestDeckResult>({
  name: 'IngestDeck',
  context: 'deck',
  payload: IngestDeckV1,
});
