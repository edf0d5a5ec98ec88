import { IsInt, IsNumber, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { Cron } from 'croner';
import { BusEnvironment, DatabaseEnvironment, MODEL_PREDICTION_DURATION_METRIC, PROMETHEUS_METRIC_NAME, loadEnvironment } from '@vista/contracts';
import { ServiceEnvironment } from '@vista/service-host';

export class MetricsEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3107;
  /** The Prometheus whose HTTP API the collections and resource series read. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) PROMETHEUS_URL = 'http://127.0.0.1:9090';
  /** How long one Prometheus query may take before the collection fails with a timeout. */
  @IsInt() @Min(100) @Max(300_000) PROMETHEUS_TIMEOUT_MS = 10_000;
  /** When to collect (cron, 5 or 6 fields, seconds first when 6): every 5 minutes by default. */
  @MaxLength(100) METRICS_COLLECT_SCHEDULE = '*/5 * * * *';
  /** The prediction-latency histogram (base name, without `_bucket`). */
  @Matches(PROMETHEUS_METRIC_NAME) @MaxLength(200) METRICS_LATENCY_METRIC = MODEL_PREDICTION_DURATION_METRIC;
  /** The rate window of the quantiles, a Prometheus duration. */
  @Matches(/^[1-9]\d*(ms|s|m|h|d)$/) METRICS_WINDOW = '5m';
  /** Snapshots and collections older than this are forgotten (the history API answers at most 720 hours). */
  @IsInt() @Min(1) @Max(87_600) METRICS_RETENTION_HOURS = 720;
  /** p95 at or above this many milliseconds is `warning`. */
  @IsNumber() @Min(0) METRICS_WARNING_MS = 100;
  /** p95 at or above this many milliseconds is `danger`. */
  @IsNumber() @Min(0) METRICS_DANGER_MS = 200;
}

export type MetricsConfig = ReturnType<typeof loadMetricsConfig>;

/** The metrics service's whole configuration, validated once at boot. */
export const loadMetricsConfig = (env: Record<string, string | undefined>) => {
  const config = loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, MetricsEnvironment] as const, env);
  const problems: string[] = [];
  try {
    new Cron(config.METRICS_COLLECT_SCHEDULE, { paused: true }).stop();
  } catch (error) {
    problems.push(`METRICS_COLLECT_SCHEDULE=${JSON.stringify(config.METRICS_COLLECT_SCHEDULE)}: ${(error as Error).message}`);
  }
  if (config.METRICS_DANGER_MS < config.METRICS_WARNING_MS) {
    problems.push(`METRICS_DANGER_MS=${config.METRICS_DANGER_MS}: must not be below METRICS_WARNING_MS (${config.METRICS_WARNING_MS})`);
  }
  if (problems.length > 0) throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
};

export const METRICS_CONFIG = Symbol('METRICS_CONFIG');
export const METRICS_SCHEMA = 'metrics';
