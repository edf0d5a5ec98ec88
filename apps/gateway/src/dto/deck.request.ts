import { ApiPropertyOptional } from '@nestjs/swagger';
import { DATASET_TYPES, type DatasetType } from '@vista/contracts';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DECK_LISTING } from '../queries/deck.queries.js';
import { DateFilter, ListQuery, SortOf, TextFilter } from './list.query.js';

export const ARCHIVED_FILTERS = ['exclude', 'include', 'only'] as const;

export class DeckListQuery extends ListQuery {
  @SortOf(DECK_LISTING) sort?: string;

  @ApiPropertyOptional({ enum: DATASET_TYPES, description: 'Only datasets of this type.' })
  @IsOptional()
  @IsIn(DATASET_TYPES, { message: `datasetType must be one of ${DATASET_TYPES.join(', ')}` })
  datasetType?: DatasetType;

  @TextFilter('Only datasets whose name contains this (case-insensitive).') name?: string;
  @TextFilter('Only datasets whose name or description contains this (case-insensitive).') q?: string;
  @TextFilter("Only this user's datasets (a user id). Users other than admins may name only themselves.") owner?: string;
  @DateFilter('Only datasets stored at or after this time.') createdFrom?: string;
  @DateFilter('Only datasets stored at or before this time.') createdTo?: string;

  @ApiPropertyOptional({ enum: ARCHIVED_FILTERS, default: 'exclude', description: 'Archived datasets: left out (default), included, or only them.' })
  @IsOptional()
  @IsIn(ARCHIVED_FILTERS, { message: `archived must be one of ${ARCHIVED_FILTERS.join(', ')}` })
  archived: (typeof ARCHIVED_FILTERS)[number] = 'exclude';
}

/** `PATCH /decks/{deckId}`: the fields to change; null clears description or ground truth. */
export class UpdateDeckRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ enum: DATASET_TYPES })
  @IsOptional()
  @IsIn(DATASET_TYPES, { message: `datasetType must be one of ${DATASET_TYPES.join(', ')}` })
  datasetType?: DatasetType;

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, description: 'Ground-truth path or reference.' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(500)
  groundTruth?: string | null;
}

export const DECK_DOWNLOAD_FORMATS = ['csv', 'json'] as const;

export class DeckDownloadQuery {
  @ApiPropertyOptional({ enum: DECK_DOWNLOAD_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(DECK_DOWNLOAD_FORMATS, { message: 'format must be csv or json' })
  format: (typeof DECK_DOWNLOAD_FORMATS)[number] = 'csv';
}
