import { Inject, Injectable } from '@nestjs/common';
import type { GetLatencyMetricsResult, GetLatencyMetricsV1, LatencyThresholds } from '@vista/contracts';
import { METRICS_CONFIG, type MetricsConfig } from '../../config/metrics.config.js';
import { latencyStatus } from '../../domain/latency-status.js';
import { LatencyMetricsRepository } from '../../repositories/latency-metrics.repository.js';

/** The configured thresholds, as the API shows them. */
export const thresholdsOf = (config: Pick<MetricsConfig, 'METRICS_WARNING_MS' | 'METRICS_DANGER_MS'>): LatencyThresholds => ({
  warningMs: config.METRICS_WARNING_MS,
  dangerMs: config.METRICS_DANGER_MS,
});

/** GetLatencyMetrics: every model's last good quantiles with its status, and when they were collected. */
@Injectable()
export class GetLatencyMetricsUseCase {
  constructor(
    @Inject(METRICS_CONFIG) private readonly config: Pick<MetricsConfig, 'METRICS_WARNING_MS' | 'METRICS_DANGER_MS'>,
    private readonly repository: LatencyMetricsRepository,
  ) {}

  async execute(query: GetLatencyMetricsV1 = {}): Promise<GetLatencyMetricsResult> {
    const thresholds = thresholdsOf(this.config);
    const [all, lastAttempt] = await Promise.all([this.repository.latest(), this.repository.lastCollection()]);
    const rows = all.filter((r) => query.modelName === undefined || r.model_name === query.modelName);
    const newest = rows.reduce<Date | null>((max, r) => (max === null || r.collected_at > max ? r.collected_at : max), null);
    return {
      models: rows.map((r) => ({
        modelId: r.model_id,
        modelName: r.model_name,
        p50Ms: r.p50_ms,
        p95Ms: r.p95_ms,
        p99Ms: r.p99_ms,
        status: latencyStatus(r.p95_ms, thresholds),
        collectedAt: r.collected_at.toISOString(),
        metricName: r.metric_name,
        window: r.window,
      })),
      lastUpdated: newest?.toISOString() ?? null,
      thresholds,
      collectionStatus: !lastAttempt ? 'no-data' : lastAttempt.status === 'failed' ? 'degraded' : 'healthy',
    };
  }
}
