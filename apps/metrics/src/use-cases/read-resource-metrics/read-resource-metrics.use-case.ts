import { Inject, Injectable } from '@nestjs/common';
import {
  type GetResourceSeriesResult,
  type GetResourceSeriesV1,
  type ListResourceMetricsResult,
  type ListResourceMetricsV1,
  MAX_RESOURCE_POINTS,
  NotFoundError,
  ValidationError,
} from '@vista/contracts';
import { METRICS_CONFIG, type MetricsConfig } from '../../config/metrics.config.js';
import { cpuQuery, joinResourceSeries, memoryQuery, RESOURCE_METRICS } from '../../domain/resource-query.js';
import { PrometheusClient } from '../../prometheus/prometheus.client.js';

/** Reads CPU and memory of the services from Prometheus (seed 003's series): which services there are, and one's series. */
@Injectable()
export class ReadResourceMetricsUseCase {
  private readonly prometheus: PrometheusClient;

  constructor(@Inject(METRICS_CONFIG) config: Pick<MetricsConfig, 'PROMETHEUS_URL' | 'PROMETHEUS_TIMEOUT_MS'>) {
    this.prometheus = new PrometheusClient(config.PROMETHEUS_URL, config.PROMETHEUS_TIMEOUT_MS);
  }

  async list(query: ListResourceMetricsV1 = {}, now = new Date()): Promise<ListResourceMetricsResult> {
    const [services, allMetricNames] = await Promise.all([
      this.prometheus.labelValues('service', RESOURCE_METRICS[1].name),
      query.withAllMetricNames ? this.prometheus.labelValues('__name__') : undefined,
    ]);
    return {
      services: services.sort(),
      metrics: RESOURCE_METRICS.map((m) => ({ ...m })),
      ...(allMetricNames ? { allMetricNames: allMetricNames.sort() } : {}),
      collectedAt: now.toISOString(),
    };
  }

  async series(query: GetResourceSeriesV1, now = new Date()): Promise<GetResourceSeriesResult> {
    if ((query.minutes * 60) / query.step > MAX_RESOURCE_POINTS) {
      throw new ValidationError(`${query.minutes} minutes at a ${query.step} s step is more than ${MAX_RESOURCE_POINTS} points`, [
        { path: 'step', message: `must be at least ${Math.ceil((query.minutes * 60) / MAX_RESOURCE_POINTS)} for ${query.minutes} minutes` },
      ]);
    }
    const services = await this.prometheus.labelValues('service', RESOURCE_METRICS[1].name);
    if (!services.includes(query.service)) {
      throw new NotFoundError(
        `Prometheus has no resource metrics of a service named ${JSON.stringify(query.service)} (known: ${services.sort().join(', ') || 'none yet'})`,
      );
    }
    const start = new Date(now.getTime() - query.minutes * 60_000);
    const [cpu, memory] = await Promise.all([
      this.prometheus.queryRange(cpuQuery(query.service, query.step), start, now, query.step),
      this.prometheus.queryRange(memoryQuery(query.service), start, now, query.step),
    ]);
    return {
      service: query.service,
      minutes: query.minutes,
      step: query.step,
      start: start.toISOString(),
      end: now.toISOString(),
      points: joinResourceSeries(cpu, memory),
      collectedAt: now.toISOString(),
    };
  }
}
