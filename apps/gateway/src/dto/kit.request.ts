import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { JOB_STATUSES, KitRunParamsV1 } from '@vista/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { KIT_LISTING, RUN_LISTING } from '../queries/kit.queries.js';
import { ARCHIVED_FILTERS } from './deck.request.js';
import { DateFilter, ListQuery, NumberedListQuery, SortOf, TextFilter } from './list.query.js';
import { ToInteger } from './transforms.js';

const KIT_STATUSES = [...JOB_STATUSES, 'NEW'] as const;

export class KitListQuery extends NumberedListQuery {
  @SortOf(KIT_LISTING) sort?: string;

  @ApiPropertyOptional({ enum: KIT_STATUSES, description: 'Only kits whose latest run is in this status (NEW: no run yet).' })
  @IsOptional()
  @IsIn(KIT_STATUSES, { message: `status must be one of ${KIT_STATUSES.join(', ')}` })
  status?: string;

  @TextFilter('Only kits whose name contains this (case-insensitive).') name?: string;
  @TextFilter('Search: name or description contains it, or the kit id equals it.') q?: string;
  @TextFilter("Only this user's kits (a user id). Users other than admins may name only themselves.") owner?: string;
  @DateFilter('Only kits updated (a run or the definition) at or after this time.') updatedFrom?: string;
  @DateFilter('Only kits updated at or before this time.') updatedTo?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only the project's kits." })
  @IsOptional()
  @IsUUID('all', { message: 'projectId must be a UUID' })
  projectId?: string;

  @ApiPropertyOptional({ enum: ARCHIVED_FILTERS, default: 'exclude', description: 'Archived kits: left out (default), included, or only them.' })
  @IsOptional()
  @IsIn(ARCHIVED_FILTERS, { message: `archived must be one of ${ARCHIVED_FILTERS.join(', ')}` })
  archived: (typeof ARCHIVED_FILTERS)[number] = 'exclude';
}

export class KitRunListQuery extends ListQuery {
  @SortOf(RUN_LISTING) sort?: string;
}

/** `GET /runs`: runs of every kit the caller may see. */
export class RunListQuery extends KitRunListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 2_147_483_647, description: "Only the kit's runs." })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'kitId must be an integer' })
  @Min(1)
  @Max(2_147_483_647)
  kitId?: number;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of ${JOB_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only runs on this dataset.' })
  @IsOptional()
  @IsUUID('all', { message: 'deckId must be a UUID' })
  deckId?: string;

  @TextFilter("Only this user's runs (a user id). Users other than admins may name only themselves.") owner?: string;
  @DateFilter('Only runs started at or after this time.') startedFrom?: string;
  @DateFilter('Only runs started at or before this time.') startedTo?: string;
}

/** `POST /kits`: a kit as a named task. */
export class CreateKitRequest {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    allOf: [{ $ref: getSchemaPath(KitRunParamsV1.name) }],
    description: "Run parameters a run starts with unless it names its own; checked like a run's (a bad value is 400 naming its path).",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KitRunParamsV1)
  defaultParams?: KitRunParamsV1;

  @ApiPropertyOptional({ format: 'uuid', description: 'The project it belongs to.' })
  @IsOptional()
  @IsUUID('all', { message: 'projectId must be a UUID' })
  projectId?: string;
}

/** `PATCH /kits/{kitId}`: the fields to change; null clears description or project. */
export class UpdateKitRequest {
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

  @ApiPropertyOptional({ allOf: [{ $ref: getSchemaPath(KitRunParamsV1.name) }], description: 'Replaces the default run parameters whole.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KitRunParamsV1)
  defaultParams?: KitRunParamsV1;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'projectId must be a UUID' })
  projectId?: string | null;
}
