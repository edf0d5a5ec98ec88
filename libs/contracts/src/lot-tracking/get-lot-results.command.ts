import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { IsBusinessDate } from './lot-batch.view.js';

/** The published results of a business date (all of the date's current attempt, or none), by keyset pages. */
export class GetLotResultsV1 {
  @IsBusinessDate() businessDate!: string;
  /** Only the rows of this set-up model. */
  @IsOptional() @IsUUID('all', { message: 'model must be a UUID' }) setupModelId?: string;
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^[\w-]+$/, { message: 'cursor must be a nextCursor the API gave' }) cursor?: string;
  @IsOptional() @IsInt() @Min(1) @Max(10_000) limit?: number;
}

/** One row's prediction for a business date, with the inputs it was made from. */
export interface LotResultView {
  readonly rowId: string;
  readonly rowVersion: number;
  readonly lotId: string;
  readonly product: string;
  readonly processStep: string;
  readonly equipment: string;
  readonly waferCount: number;
  readonly setupModelId: string;
  readonly registryModelId: string;
  readonly modelVersion: number;
  readonly response: string;
  readonly factors: Record<string, number>;
  readonly prediction: number;
}

export interface GetLotResultsResult {
  readonly businessDate: string;
  /** The attempt whose results the date shows; null when the date has none yet. */
  readonly attemptId: string | null;
  readonly digest: string | null;
  readonly publishedAt: string | null;
  readonly items: LotResultView[];
  readonly nextCursor: string | null;
}

export const GetLotResults = defineCommand<'GetLotResults', GetLotResultsV1, GetLotResultsResult>({
  name: 'GetLotResults',
  context: 'lot-tracking',
  payload: GetLotResultsV1,
});
