import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** How the latency collection is doing. */
export class GetMetricsHealthV1 {
  /** Also list this many of the latest failed collections with their reasons. */
  @IsOptional() @IsInt() @Min(0) @Max(100) recentFailures?: number;
}

export interface GetMetricsHealthResult {
  /** healthy: the last collection succeeded; degraded: it failed (older values are still served); no-data: none succeeded yet. */
  readonly status: 'healthy' | 'degraded' | 'no-data';
  /** When the last successful collection's data was collected. */
  readonly lastCollection: string | null;
  /** Minutes since then (one decimal). */
  readonly minutesAgo: number | null;
  readonly modelCount: number;
  readonly lastAttempt: { readonly at: string; readonly status: 'succeeded' | 'failed'; readonly reason?: string } | null;
  /** The latest failed collections, newest first (only when asked for). */
  readonly recentFailures?: { readonly at: string; readonly reason: string; readonly prometheusUrl: string }[];
  /** The collection schedule (cron). */
  readonly schedule: string;
}

export const GetMetricsHealth = defineCommand<'GetMetricsHealth', GetMetricsHealthV1, GetMetricsHealthResult>({
  name: 'GetMetricsHealth',
  context: 'metrics',
  payload: GetMetricsHealthV1,
});
