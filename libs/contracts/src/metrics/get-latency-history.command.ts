import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** History is kept and answered for at most 30 days. */
export const MAX_HISTORY_HOURS = 720;

/** Each model's collected quantiles over the last hours, oldest first (for a chart). */
export class GetLatencyHistoryV1 {
  @IsInt() @Min(1) @Max(MAX_HISTORY_HOURS) hours!: number;
  /** Only this model (its name); unknown names are refused. */
  @IsOptional() @IsString() @MaxLength(200) modelName?: string;
}

export interface LatencyPoint {
  readonly timestamp: string;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

export interface GetLatencyHistoryResult {
  readonly models: { readonly modelId: string; readonly modelName: string; readonly points: LatencyPoint[] }[];
  readonly start: string;
  readonly end: string;
  readonly hours: number;
}

export const GetLatencyHistory = defineCommand<'GetLatencyHistory', GetLatencyHistoryV1, GetLatencyHistoryResult>({
  name: 'GetLatencyHistory',
  context: 'metrics',
  payload: GetLatencyHistoryV1,
});
