import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LATENCY_STATUSES } from '@vista/contracts';

const STATUS = {
  enum: LATENCY_STATUSES,
  nullable: true,
  description: 'From the p95: under the warning threshold good, under danger warning, else danger.',
} as const;
const COLLECTION_STATUS = {
  enum: ['healthy', 'degraded', 'no-data'],
  description: '`degraded`: the last collection failed, so these values are from an earlier one; `no-data`: none yet.',
} as const;
const MS = { type: Number, nullable: true, description: 'Milliseconds; null without predictions in the window.' } as const;

export class LatencyThresholdsBody {
  @ApiProperty({ example: 100, description: 'p95 at or above this is warning.' }) warning_ms!: number;
  @ApiProperty({ example: 200, description: 'p95 at or above this is danger.' }) danger_ms!: number;
}

export class P95Item {
  @ApiProperty({ example: 'kit-42-v1-ridge', description: 'The model name.' }) model!: string;
  @ApiProperty({ description: 'The model id.' }) model_id!: string;
  @ApiProperty(MS) p95_latency_ms!: number | null;
  @ApiProperty(STATUS) status!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When Prometheus evaluated this value.' }) collected_at!: string;
}

export class LatencyItem extends P95Item {
  @ApiProperty(MS) p50_latency_ms!: number | null;
  @ApiProperty(MS) p99_latency_ms!: number | null;
  @ApiProperty({ example: 'vista_model_prediction_duration_seconds' }) metric_name!: string;
  @ApiProperty({ example: '5m', description: 'The rate window of the quantiles.' }) time_range!: string;
}

class LatencyEnvelope {
  @ApiProperty({ enum: ['success'] }) status!: 'success';
  @ApiProperty() count!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the newest value was collected.' }) last_updated!: string | null;
  @ApiProperty(COLLECTION_STATUS) collection_status!: string;
  @ApiProperty({ type: LatencyThresholdsBody }) thresholds!: LatencyThresholdsBody;
}

export class P95Answer extends LatencyEnvelope {
  @ApiProperty({ type: [P95Item] }) data!: P95Item[];
}

export class LatencyAnswer extends LatencyEnvelope {
  @ApiProperty({ type: [LatencyItem] }) data!: LatencyItem[];
}

class HistoryPoint {
  @ApiProperty({ format: 'date-time', description: 'When this value was collected.' }) timestamp!: string;
  @ApiProperty(MS) p50_latency_ms!: number | null;
  @ApiProperty(MS) p95_latency_ms!: number | null;
  @ApiProperty(MS) p99_latency_ms!: number | null;
}

class HistorySeries {
  @ApiProperty() model!: string;
  @ApiProperty() model_id!: string;
  @ApiProperty({ type: [HistoryPoint] }) data_points!: HistoryPoint[];
}

class TimeRange {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
  @ApiProperty() hours!: number;
}

export class HistoryAnswer {
  @ApiProperty({ enum: ['success'] }) status!: 'success';
  @ApiProperty({ type: [HistorySeries] }) data!: HistorySeries[];
  @ApiProperty() count!: number;
  @ApiProperty({ type: TimeRange }) time_range!: TimeRange;
}

class LastAttempt {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status!: string;
  @ApiPropertyOptional({ description: 'Why it failed.' }) reason?: string;
}

export class MetricsHealthAnswer {
  @ApiProperty(COLLECTION_STATUS) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last successful collection was collected.' }) last_collection!:
    string | null;
  @ApiProperty({ type: Number, nullable: true, example: 2.5, description: 'Minutes since then.' }) minutes_ago!: number | null;
  @ApiProperty({ description: 'Models with latency values.' }) model_count!: number;
  @ApiProperty({ type: LastAttempt, nullable: true }) last_attempt!: LastAttempt | null;
  @ApiProperty({ example: '*/5 * * * *', description: 'The collection schedule (cron).' }) schedule!: string;
}

export class CollectionAnswer {
  @ApiProperty({ enum: ['success'] }) status!: 'success';
  @ApiProperty() collection_id!: string;
  @ApiProperty({ format: 'date-time' }) collected_at!: string;
  @ApiProperty() prometheus_url!: string;
  @ApiProperty() metric_name!: string;
  @ApiProperty() time_range!: string;
  @ApiProperty({ type: [LatencyItem] }) data!: LatencyItem[];
  @ApiProperty() count!: number;
}

class ResourceMetric {
  @ApiProperty({ example: 'process_cpu_seconds_total' }) name!: string;
  @ApiProperty({ example: 'cores' }) unit!: string;
  @ApiProperty() description!: string;
}

export class ResourcesAnswer {
  @ApiProperty({ enum: ['success'] }) status!: 'success';
  @ApiProperty({ type: [String], description: 'Services Prometheus has CPU and memory series of.' }) services!: string[];
  @ApiProperty({ type: [ResourceMetric] }) metrics!: ResourceMetric[];
  @ApiProperty({ format: 'date-time', description: 'When Prometheus was asked.' }) collected_at!: string;
}

class ResourcePointBody {
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'CPU in cores (rate of CPU seconds), summed over replicas.' }) cpu_cores!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Resident memory in bytes, summed over replicas.' }) memory_bytes!: number | null;
}

export class ResourceSeriesAnswer {
  @ApiProperty({ enum: ['success'] }) status!: 'success';
  @ApiProperty() service!: string;
  @ApiProperty({ type: [ResourcePointBody] }) data!: ResourcePointBody[];
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Seconds between points.' }) step!: number;
  @ApiProperty({ type: TimeRange, description: '`minutes` instead of `hours` here.' }) time_range!: { start: string; end: string; minutes: number };
  @ApiProperty({ format: 'date-time', description: 'When Prometheus was asked.' }) collected_at!: string;
}
