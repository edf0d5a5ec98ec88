import { Inject, Injectable } from '@nestjs/common';
import type { GetMetricsHealthResult, GetMetricsHealthV1 } from '@vista/contracts';
import { METRICS_CONFIG, type MetricsConfig } from '../../config/metrics.config.js';
import { LatencyMetricsRepository } from '../../repositories/latency-metrics.repository.js';

/** GetMetricsHealth: the last good collection, minutes since it, the model count, and whether the last attempt failed. */
@Injectable()
export class GetMetricsHealthUseCase {
  constructor(
    @Inject(METRICS_CONFIG) private readonly config: Pick<MetricsConfig, 'METRICS_COLLECT_SCHEDULE'>,
    private readonly repository: LatencyMetricsRepository,
  ) {}

  async execute(query: GetMetricsHealthV1 = {}, now = new Date()): Promise<GetMetricsHealthResult> {
    const [lastGood, lastAttempt, latest] = await Promise.all([
      this.repository.lastCollection('succeeded'),
      this.repository.lastCollection(),
      this.repository.latest(),
    ]);
    // A failed last attempt is degraded even with older values to serve; nothing attempted yet is no-data.
    const status = !lastAttempt ? 'no-data' : lastAttempt.status === 'failed' ? 'degraded' : 'healthy';
    return {
      status,
      lastCollection: lastGood?.at.toISOString() ?? null,
      minutesAgo: lastGood ? Math.round((now.getTime() - lastGood.at.getTime()) / 6_000) / 10 : null,
      modelCount: latest.length,
      lastAttempt: lastAttempt
        ? { at: lastAttempt.at.toISOString(), status: lastAttempt.status, ...(lastAttempt.reason ? { reason: lastAttempt.reason } : {}) }
        : null,
      ...(query.recentFailures
        ? {
            recentFailures: (await this.repository.recentFailures(query.recentFailures)).map((f) => ({
              at: f.at.toISOString(),
              reason: f.reason ?? '',
              prometheusUrl: f.prometheus_url,
            })),
          }
        : {}),
      schedule: this.config.METRICS_COLLECT_SCHEDULE,
    };
  }
}
