import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { DATASET_TYPES, type DatasetType } from './deck-ingested.event.js';

/** Changes a deck's name, description, dataset type or ground-truth reference (null clears the optional ones). */
export class UpdateDeckV1 {
  @IsUUID() deckId!: string;
  @IsOptional() @IsString() @MaxLength(200) @Matches(/\S/) name?: string;
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsString() @MaxLength(2000) description?: string | null;
  @IsOptional() @IsIn(DATASET_TYPES) datasetType?: DatasetType;
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsString() @MaxLength(500) groundTruth?: string | null;
}

/** A deck's profile as it stands after a change. */
export interface DeckProfileResult {
  readonly deckId: string;
  readonly name: string;
  readonly description: string | null;
  readonly datasetType: DatasetType;
  readonly groundTruth: string | null;
  readonly archived: boolean;
}

export const UpdateDeck = defineCommand<'UpdateDeck', UpdateDeckV1, DeckProfileResult>({
  name: 'UpdateDeck',
  context: 'deck',
  payload: UpdateDeckV1,
  access: { users: PIPELINE_ROLES.operate },
});
