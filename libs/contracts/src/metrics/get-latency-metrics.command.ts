import { IsOptional, IsString, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { LatencyStatus } from './model-latency.metric.js';

/** Every model's latest latency quantiles, as last collected. */
export class GetLatencyMetricsV1 {
  /** Only the models of this name. */
  @IsOptional() @IsString() @MaxLength(200) modelName?: string;
}

export interface ModelLatencyView {
  readonly modelId: string;
  readonly modelName: string;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  /** From the p95 and the configured thresholds; null without a p95. */
  readonly status: LatencyStatus | null;
  readonly collectedAt: string;
  readonly metricName: string;
  readonly window: string;
}

export interface LatencyThresholds {
  /** p95 at or above this is `warning`. */
  readonly warningMs: number;
  /** p95 at or above this is `danger`. */
  readonly dangerMs: number;
}

export interface GetLatencyMetricsResult {
  readonly models: ModelLatencyView[];
  /** When the newest of these values was collected (null before any collection succeeded). */
  readonly lastUpdated: string | null;
  readonly thresholds: LatencyThresholds;
  /** How the last collection went: `degraded` when it failed (these values are older), `no-data` before any. */
  readonly collectionStatus: 'healthy' | 'degraded' | 'no-data';
}

export const GetLatencyMetrics = defineCommand<'GetLatencyMetrics', GetLatencyMetricsV1, GetLatencyMetricsResult>({
  name: 'GetLatencyMetrics',
  context: 'metrics',
  payload: GetLatencyMetricsV1,
});
