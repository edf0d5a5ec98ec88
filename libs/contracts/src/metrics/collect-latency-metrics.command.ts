import { IsOptional, IsUrl, Matches, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { ModelLatencyView } from './get-latency-metrics.command.js';

/** A Prometheus metric name (the histogram's base name, without `_bucket`). */
export const PROMETHEUS_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Collects every model's latency quantiles now (the scheduled collection's manual twin). */
export class CollectLatencyMetricsV1 {
  /** Another Prometheus than the configured one. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) @MaxLength(500) prometheusUrl?: string;
  /** Another histogram than the prediction-latency one. */
  @IsOptional() @Matches(PROMETHEUS_METRIC_NAME, { message: 'metricName must be a Prometheus metric name' }) @MaxLength(200) metricName?: string;
}

export interface CollectLatencyMetricsResult {
  readonly collectionId: string;
  readonly status: 'succeeded' | 'failed';
  readonly prometheusUrl: string;
  readonly metricName: string;
  readonly window: string;
  /** Succeeded: when Prometheus evaluated the quantiles; failed: when it was attempted. */
  readonly at: string;
  readonly reason?: string;
  readonly models: ModelLatencyView[];
}

export const CollectLatencyMetrics = defineCommand<'CollectLatencyMetrics', CollectLatencyMetricsV1, CollectLatencyMetricsResult>({
  name: 'CollectLatencyMetrics',
  context: 'metrics',
  payload: CollectLatencyMetricsV1,
});
