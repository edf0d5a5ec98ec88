import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { type Listing, sortValues } from '../queries/listing.js';
import { ToInteger, Trim } from './transforms.js';

export const PAGE_SIZE_MAX = 200;

/**
 * What every list takes: a page size and a cursor. Each list's query class adds its `sort` (from its
 * listing, `SortOf`) and its filters; any other parameter is a 400 naming it (the validation pipe
 * refuses unknown fields).
 */
export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE_MAX, default: 50, description: 'Rows per page.' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1)
  @Max(PAGE_SIZE_MAX)
  pageSize: number = 50;

  @ApiPropertyOptional({
    description: "Continue after the previous page's last row: its `nextCursor` (keyset paging: rows added meanwhile are neither repeated nor skipped).",
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[\w-]+$/, { message: 'cursor must be a nextCursor the API gave' })
  cursor?: string;
}

/** A list that also keeps numbered pages (keyset paging with `cursor` is preferred; `page` is ignored after one). */
export class NumberedListQuery extends ListQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'Numbered page, when no `cursor` is given (keyset paging with `cursor` is preferred).' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'page must be an integer' })
  @Min(1)
  @Max(1_000_000)
  page: number = 1;
}

/** The `sort` parameter of a list: one of its listing's fields, `-` in front for descending. */
export const SortOf = (listing: Listing<string>): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      enum: sortValues(listing),
      default: listing.defaultSort,
      description: 'Sort field; `-` in front sorts descending. Rows with equal values are ordered by id.',
    }),
    IsOptional(),
    IsIn(sortValues(listing), { message: `sort must be one of ${sortValues(listing).join(', ')}` }),
  );

/** An ISO 8601 date-time filter (`createdFrom=2026-03-01T00:00:00Z`). */
export const DateFilter = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ format: 'date-time', description }),
    IsOptional(),
    IsISO8601({ strict: true, strictSeparator: true }, { message: ({ property }) => `${property} must be an ISO 8601 date-time (2026-03-01T08:00:00Z)` }),
  );

/** A free-text filter: trimmed, 1..200 characters. */
export const TextFilter = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description, maxLength: 200 }),
    IsOptional(),
    Trim(),
    IsString(),
    MaxLength(200),
    Matches(/\S/, { message: ({ property }) => `${property} must not be blank` }),
  );
