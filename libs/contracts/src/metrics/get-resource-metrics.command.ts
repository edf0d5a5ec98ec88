import { IsBoolean, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Resource series are answered for at most the last 24 hours, with at most this many points. */
export const MAX_RESOURCE_MINUTES = 1440;
export const MAX_RESOURCE_POINTS = 1000;

/** Which services Prometheus has CPU and memory series for, and which metrics it holds. */
export class ListResourceMetricsV1 {
  /** Also list the name of every metric Prometheus holds. */
  @IsOptional() @IsBoolean() withAllMetricNames?: boolean;
}

export interface ListResourceMetricsResult {
  readonly services: string[];
  /** The resource metrics the series come from, and each's unit. */
  readonly metrics: { readonly name: string; readonly unit: string; readonly description: string }[];
  /** Every metric name Prometheus holds (only when asked for). */
  readonly allMetricNames?: string[];
  readonly collectedAt: string;
}

export const ListResourceMetrics = defineCommand<'ListResourceMetrics', ListResourceMetricsV1, ListResourceMetricsResult>({
  name: 'ListResourceMetrics',
  context: 'metrics',
  payload: ListResourceMetricsV1,
});

/** CPU and memory of one service over the last minutes, one point per step. */
export class GetResourceSeriesV1 {
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'service must be a service name (lower-case letters, digits, dashes)' }) @MaxLength(63) service!: string;
  @IsInt() @Min(1) @Max(MAX_RESOURCE_MINUTES) minutes!: number;
  /** Seconds between points. */
  @IsInt() @Min(1) @Max(3600) step!: number;
}

export interface ResourcePoint {
  readonly timestamp: string;
  /** CPU used, in cores (rate of CPU seconds), summed over the service's replicas. */
  readonly cpuCores: number | null;
  /** Resident memory in bytes, summed over the service's replicas. */
  readonly memoryBytes: number | null;
}

export interface GetResourceSeriesResult {
  readonly service: string;
  readonly minutes: number;
  readonly step: number;
  readonly start: string;
  readonly end: string;
  readonly points: ResourcePoint[];
  readonly collectedAt: string;
}

export const GetResourceSeries = defineCommand<'GetResourceSeries', GetResourceSeriesV1, GetResourceSeriesResult>({
  name: 'GetResourceSeries',
  context: 'metrics',
  payload: GetResourceSeriesV1,
});
