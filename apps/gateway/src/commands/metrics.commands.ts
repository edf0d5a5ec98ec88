import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import {
  CollectLatencyMetrics,
  type CollectLatencyMetricsResult,
  type CollectLatencyMetricsV1,
  GetLatencyHistory,
  type GetLatencyHistoryResult,
  type GetLatencyHistoryV1,
  GetLatencyMetrics,
  type GetLatencyMetricsResult,
  GetMetricsHealth,
  type GetMetricsHealthResult,
  GetResourceSeries,
  type GetResourceSeriesResult,
  type GetResourceSeriesV1,
  ListResourceMetrics,
  type ListResourceMetricsResult,
} from '@vista/contracts';

/** A collection waits for three Prometheus queries (each bounded by PROMETHEUS_TIMEOUT_MS on the service's side). */
const COLLECT_TIMEOUT_MS = 30_000;

/** Asks the metrics service, which holds the latency collections and reads Prometheus. */
@Injectable()
export class MetricsCommands {
  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

  latest(call: CommandCall): Promise<GetLatencyMetricsResult> {
    return this.client.execute(GetLatencyMetrics, {}, call);
  }

  history(query: GetLatencyHistoryV1, call: CommandCall): Promise<GetLatencyHistoryResult> {
    return this.client.execute(GetLatencyHistory, query, call);
  }

  health(call: CommandCall): Promise<GetMetricsHealthResult> {
    return this.client.execute(GetMetricsHealth, {}, call);
  }

  collect(request: CollectLatencyMetricsV1, call: CommandCall): Promise<CollectLatencyMetricsResult> {
    return this.client.execute(CollectLatencyMetrics, request, { ...call, timeoutMs: COLLECT_TIMEOUT_MS });
  }

  resources(call: CommandCall): Promise<ListResourceMetricsResult> {
    return this.client.execute(ListResourceMetrics, {}, call);
  }

  resourceSeries(query: GetResourceSeriesV1, call: CommandCall): Promise<GetResourceSeriesResult> {
    return this.client.execute(GetResourceSeries, query, call);
  }
}
