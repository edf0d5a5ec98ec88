import { IsISO8601, IsString, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A collection could not read Prometheus; the last good values stay as they were. */
export class LatencyCollectionFailedV1 {
  @IsUUID() collectionId!: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) prometheusUrl!: string;
  @IsString() @MaxLength(200) metricName!: string;
  @IsISO8601() attemptedAt!: string;
  /** Why: Prometheus unreachable, an HTTP status, a query error, a timeout. */
  @IsString() @MaxLength(2000) reason!: string;
}

export const LatencyCollectionFailed = defineEvent({
  type: 'LatencyCollectionFailed',
  version: 1,
  context: 'metrics',
  payload: LatencyCollectionFailedV1,
  subjectKey: () => 'latency',
});
