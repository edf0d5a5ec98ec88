import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATASET_TYPES, type DatasetType } from '@vista/contracts';
import { ToStringList, Trim } from './transforms.js';

export const DECK_FORMATS = ['csv', 'json'] as const;
export type DeckFormat = (typeof DECK_FORMATS)[number];

/** The text fields of a deck upload (the file travels in the `file` part). */
export class UploadDeckFields {
  @ApiProperty({ maxLength: 200, example: 'plant A, March' })
  @Trim()
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: DATASET_TYPES })
  @IsIn(DATASET_TYPES)
  datasetType!: DatasetType;

  @ApiPropertyOptional({ enum: DECK_FORMATS, description: "Defaults to the file name's extension." })
  @IsOptional()
  @IsIn(DECK_FORMATS)
  format?: DeckFormat;

  @ApiPropertyOptional({ type: [String], description: 'Factor columns: comma-separated or repeated. Default: decided by the deck service.' })
  @IsOptional()
  @ToStringList()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  factors?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Response columns: comma-separated or repeated.' })
  @IsOptional()
  @ToStringList()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  responses?: string[];

  @ApiPropertyOptional({ maxLength: 500, description: 'Ground-truth reference of the dataset.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  groundTruth?: string;
}
