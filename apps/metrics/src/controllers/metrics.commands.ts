import { Controller } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import {
  CollectLatencyMetrics,
  type CollectLatencyMetricsResult,
  type CollectLatencyMetricsV1,
  DescribeMetrics,
  ForbiddenError,
  holdsAnyRole,
  type DescribeMetricsResult,
  type DescribeMetricsV1,
  GetLatencyHistory,
  type GetLatencyHistoryResult,
  type GetLatencyHistoryV1,
  GetLatencyMetrics,
  type GetLatencyMetricsResult,
  type GetLatencyMetricsV1,
  GetMetricsHealth,
  type GetMetricsHealthResult,
  type GetMetricsHealthV1,
  GetResourceSeries,
  type GetResourceSeriesResult,
  type GetResourceSeriesV1,
  ListResourceMetrics,
  type ListResourceMetricsResult,
  type ListResourceMetricsV1,
} from '@vista/contracts';
import { CollectLatencyMetricsUseCase } from '../use-cases/collect-latency-metrics/collect-latency-metrics.use-case.js';
import { DescribeMetricsUseCase } from '../use-cases/describe-metrics/describe-metrics.use-case.js';
import { GetLatencyHistoryUseCase } from '../use-cases/get-latency-history/get-latency-history.use-case.js';
import { GetLatencyMetricsUseCase } from '../use-cases/get-latency-metrics/get-latency-metrics.use-case.js';
import { GetMetricsHealthUseCase } from '../use-cases/get-metrics-health/get-metrics-health.use-case.js';
import { ReadResourceMetricsUseCase } from '../use-cases/read-resource-metrics/read-resource-metrics.use-case.js';

/** The metrics service's commands (NATS request/reply, queue group `metrics`). */
@Controller()
export class MetricsCommands {
  constructor(
    private readonly describeMetrics: DescribeMetricsUseCase,
    private readonly collectLatency: CollectLatencyMetricsUseCase,
    private readonly latestLatency: GetLatencyMetricsUseCase,
    private readonly latencyHistory: GetLatencyHistoryUseCase,
    private readonly health: GetMetricsHealthUseCase,
    private readonly resources: ReadResourceMetricsUseCase,
  ) {}

  @OnCommand(DescribeMetrics)
  onDescribeMetrics(@CommandInput(DescribeMetrics) command: CommandMessage<DescribeMetricsV1>): Promise<DescribeMetricsResult> {
    return this.describeMetrics.execute(command.payload);
  }

  @OnCommand(CollectLatencyMetrics)
  onCollectLatencyMetrics(@CommandInput(CollectLatencyMetrics) command: CommandMessage<CollectLatencyMetricsV1>): Promise<CollectLatencyMetricsResult> {
    // The gateway lets only admins ask; checked again here, on the roles of the verified token.
    if (!holdsAnyRole(command.roles, ['admin'])) throw new ForbiddenError(`collecting latency metrics needs the admin role (${command.actor} lacks it)`);
    return this.collectLatency.execute({ ...command.payload, trigger: 'manual', actor: command.actor, correlationId: command.correlationId });
  }

  @OnCommand(GetLatencyMetrics)
  onGetLatencyMetrics(@CommandInput(GetLatencyMetrics) command: CommandMessage<GetLatencyMetricsV1>): Promise<GetLatencyMetricsResult> {
    return this.latestLatency.execute(command.payload);
  }

  @OnCommand(GetLatencyHistory)
  onGetLatencyHistory(@CommandInput(GetLatencyHistory) command: CommandMessage<GetLatencyHistoryV1>): Promise<GetLatencyHistoryResult> {
    return this.latencyHistory.execute(command.payload);
  }

  @OnCommand(GetMetricsHealth)
  onGetMetricsHealth(@CommandInput(GetMetricsHealth) command: CommandMessage<GetMetricsHealthV1>): Promise<GetMetricsHealthResult> {
    return this.health.execute(command.payload);
  }

  @OnCommand(ListResourceMetrics)
  onListResourceMetrics(@CommandInput(ListResourceMetrics) command: CommandMessage<ListResourceMetricsV1>): Promise<ListResourceMetricsResult> {
    return this.resources.list(command.payload);
  }

  @OnCommand(GetResourceSeries)
  onGetResourceSeries(@CommandInput(GetResourceSeries) command: CommandMessage<GetResourceSeriesV1>): Promise<GetResourceSeriesResult> {
    return this.resources.series(command.payload);
  }
}
