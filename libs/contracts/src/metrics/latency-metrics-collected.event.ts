import { Type } from 'class-transformer';
import { IsArray, IsISO8601, IsString, IsUrl, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { ModelLatencyV1 } from './model-latency.js';

/** A collection read every model's p50/p95/p99 from Prometheus at one instant. */
export class LatencyMetricsCollectedV1 {
  @IsUUID() collectionId!: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) prometheusUrl!: string;
  @IsString() @MaxLength(200) metricName!: string;
  /** The rate window of the quantiles (Prometheus duration, e.g. `5m`). */
  @IsString() @MaxLength(20) window!: string;
  /** The instant Prometheus evaluated the quantiles at: the data's "collected at". */
  @IsISO8601() collectedAt!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ModelLatencyV1) models!: ModelLatencyV1[];
}

export const LatencyMetricsCollected = defineEvent({
  type: 'LatencyMetricsCollected',
  version: 1,
  context: 'metrics',
  payload: LatencyMetricsCollectedV1,
  subjectKey: () => 'latency',
});
