import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CollectLatencyMetricsResult, CollectLatencyMetricsV1, EventMetadata } from '@vista/contracts';
import { EventStore } from '@vista/event-store';
import { METRICS_CONFIG, type MetricsConfig } from '../../config/metrics.config.js';
import { joinQuantiles, QUANTILES, type QuantileKey, quantileQuery } from '../../domain/latency-query.js';
import { latencyStatus } from '../../domain/latency-status.js';
import { PrometheusClient } from '../../prometheus/prometheus.client.js';
import { LatencyMetricsRepository } from '../../repositories/latency-metrics.repository.js';

export interface CollectRequest extends CollectLatencyMetricsV1 {
  readonly trigger: 'schedule' | 'manual';
  readonly actor: string;
  readonly correlationId: string;
}

type Settings = Pick<
  MetricsConfig,
  | 'PROMETHEUS_URL'
  | 'PROMETHEUS_TIMEOUT_MS'
  | 'METRICS_LATENCY_METRIC'
  | 'METRICS_WINDOW'
  | 'METRICS_WARNING_MS'
  | 'METRICS_DANGER_MS'
  | 'METRICS_RETENTION_HOURS'
>;

/**
 * CollectLatencyMetrics: asks Prometheus for every model's p50/p95/p99 over the window at one
 * instant, and records the outcome with its event in one transaction. A failure (Prometheus down,
 * an HTTP or query error, a timeout) is recorded with its reason and answered, never thrown: the
 * last good values stay.
 */
@Injectable()
export class CollectLatencyMetricsUseCase {
  private readonly logger = new Logger('metrics');

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: Settings,
    private readonly repository: LatencyMetricsRepository,
    private readonly events: EventStore,
  ) {}

  async execute(request: CollectRequest): Promise<CollectLatencyMetricsResult> {
    const collectionId = randomUUID();
    const prometheusUrl = request.prometheusUrl ?? this.config.PROMETHEUS_URL;
    const metricName = request.metricName ?? this.config.METRICS_LATENCY_METRIC;
    const window = this.config.METRICS_WINDOW;
    const prometheus = new PrometheusClient(prometheusUrl, this.config.PROMETHEUS_TIMEOUT_MS);
    // One instant for the three quantiles, so they describe the same window; it is the data's "collected at".
    const at = new Date();
    const metadata: EventMetadata = { actor: request.actor, correlationId: request.correlationId };
    const common = { collectionId, prometheusUrl, metricName, window };
    const streamId = `latency-collection-${collectionId}`;

    let answers: Record<QuantileKey, Awaited<ReturnType<PrometheusClient['query']>>>;
    try {
      const keys = Object.keys(QUANTILES) as QuantileKey[];
      const results = await Promise.all(keys.map((key) => prometheus.query(quantileQuery(metricName, QUANTILES[key], window), at)));
      answers = Object.fromEntries(keys.map((key, i) => [key, results[i]!])) as typeof answers;
    } catch (error) {
      const reason = (error as Error).message;
      this.logger.warn(`latency collection ${collectionId} failed: ${reason}`);
      await this.events.inTransaction(async (trx) => {
        await this.repository.recordFailed(trx, {
          collection_id: collectionId,
          trigger: request.trigger,
          prometheus_url: prometheusUrl,
          metric_name: metricName,
          window,
          at,
          reason,
        });
        await this.events.append(
          {
            streamId,
            expectedVersion: 0,
            events: [{ type: 'LatencyCollectionFailed', data: { collectionId, prometheusUrl, metricName, attemptedAt: at.toISOString(), reason } }],
          },
          metadata,
          trx,
        );
      });
      return { ...common, status: 'failed', at: at.toISOString(), reason, models: [] };
    }

    const models = joinQuantiles(answers);
    await this.events.inTransaction(async (trx) => {
      await this.repository.recordSucceeded(
        trx,
        { collection_id: collectionId, trigger: request.trigger, prometheus_url: prometheusUrl, metric_name: metricName, window, at },
        models,
      );
      await this.events.append(
        { streamId, expectedVersion: 0, events: [{ type: 'LatencyMetricsCollected', data: { ...common, collectedAt: at.toISOString(), models } }] },
        metadata,
        trx,
      );
    });
    await this.repository.prune(new Date(at.getTime() - this.config.METRICS_RETENTION_HOURS * 3_600_000));
    const thresholds = { warningMs: this.config.METRICS_WARNING_MS, dangerMs: this.config.METRICS_DANGER_MS };
    return {
      ...common,
      status: 'succeeded',
      at: at.toISOString(),
      models: models.map((m) => ({ ...m, status: latencyStatus(m.p95Ms, thresholds), collectedAt: at.toISOString(), metricName, window })),
    };
  }
}
