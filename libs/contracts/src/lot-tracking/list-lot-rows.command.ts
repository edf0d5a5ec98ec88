import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { LotRowStatus, LotRowView } from './lot-row.fields.js';

/** Lot rows, filtered, oldest first, by keyset pages. */
export class ListLotRowsV1 {
  @IsOptional() @IsString() @MaxLength(40) lotId?: string;
  @IsOptional() @IsString() @MaxLength(64) product?: string;
  @IsOptional() @IsString() @MaxLength(64) processStep?: string;
  @IsOptional() @IsString() @MaxLength(64) equipment?: string;
  @IsOptional() @IsUUID('all', { message: 'setupModelId must be a UUID' }) setupModelId?: string;
  /** `active` by default; `all` includes retired rows. */
  @IsOptional() @IsIn(['active', 'retired', 'all']) status?: LotRowStatus | 'all';
  /** The previous page's `nextCursor`. */
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^[\w-]+$/, { message: 'cursor must be a nextCursor the API gave' }) cursor?: string;
  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
}

export interface ListLotRowsResult {
  readonly items: LotRowView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export const ListLotRows = defineCommand<'ListLotRows', ListLotRowsV1, ListLotRowsResult>({
  name: 'ListLotRows',
  context: 'lot-tracking',
  payload: ListLotRowsV1,
});
