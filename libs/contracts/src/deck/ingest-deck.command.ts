import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { CommandIdempotencyV1 } from '../idempotency/command-idempotency.js';
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
  /** The request's Idempotency-Key: the command runs at most once per key and a repeat gets the first result. */
  @IsOptional() @ValidateNested() @Type(() => CommandIdempotencyV1) idempotency?: CommandIdempotencyV1;
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
  access: { users: PIPELINE_ROLES.operate },
});
