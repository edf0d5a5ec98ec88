import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { IsBusinessDate, type LotBatchStatus, type LotBatchView } from './lot-batch.view.js';

/** Batch attempts, newest first, by keyset pages. */
export class ListLotBatchesV1 {
  @IsOptional() @IsBusinessDate() businessDate?: string;
  @IsOptional() @IsIn(['running', 'succeeded', 'unchanged', 'failed']) status?: LotBatchStatus;
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^[\w-]+$/, { message: 'cursor must be a nextCursor the API gave' }) cursor?: string;
  @IsOptional() @IsInt() @Min(1) @Max(500) limit?: number;
}

export interface ListLotBatchesResult {
  readonly items: LotBatchView[];
  readonly nextCursor: string | null;
}

export const ListLotBatches = defineCommand<'ListLotBatches', ListLotBatchesV1, ListLotBatchesResult>({
  name: 'ListLotBatches',
  context: 'lot-tracking',
  payload: ListLotBatchesV1,
});
