import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type GetLatencyMetricsResult, type ModelLatencyView, ValidationError, VistaError } from '@vista/contracts';
import { MetricsCommands } from '../commands/metrics.commands.js';
import { CollectLatencyRequest, LatencyHistoryQuery, ResourceSeriesQuery, ServiceParams } from '../dto/metrics.query.js';
import {
  CollectionAnswer,
  HistoryAnswer,
  LatencyAnswer,
  type LatencyItem,
  MetricsHealthAnswer,
  P95Answer,
  ResourceSeriesAnswer,
  ResourcesAnswer,
} from '../dto/metrics.response.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';

const latencyItem = (m: ModelLatencyView): LatencyItem => ({
  model: m.modelName,
  model_id: m.modelId,
  p50_latency_ms: m.p50Ms,
  p95_latency_ms: m.p95Ms,
  p99_latency_ms: m.p99Ms,
  status: m.status,
  collected_at: m.collectedAt,
  metric_name: m.metricName,
  time_range: m.window,
});

const envelope = (result: GetLatencyMetricsResult) => ({
  status: 'success' as const,
  count: result.models.length,
  last_updated: result.lastUpdated,
  collection_status: result.collectionStatus,
  thresholds: { warning_ms: result.thresholds.warningMs, danger_ms: result.thresholds.dangerMs },
});

/** Model latency (p50/p95/p99 collected from Prometheus every few minutes) and resource use per service, in seed 002's shapes. */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(@Inject(MetricsCommands) private readonly metrics: MetricsCommands) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "Every model's latest p50, p95 and p99 latency, with its status and when it was collected" })
  @ApiOkResponse({ type: LatencyAnswer })
  @ApiProblems(401, 503)
  async all(@CommandCallOf() call: CommandCall): Promise<LatencyAnswer> {
    const result = await this.metrics.latest(call);
    return { ...envelope(result), data: result.models.map(latencyItem) };
  }

  @Get('p95')
  @Authenticated()
  @ApiOperation({ summary: "Every model's latest p95 latency with its status (good / warning / danger)" })
  @ApiOkResponse({ type: P95Answer })
  @ApiProblems(401, 503)
  async p95(@CommandCallOf() call: CommandCall): Promise<P95Answer> {
    const result = await this.metrics.latest(call);
    return {
      ...envelope(result),
      data: result.models.map((m) => ({ model: m.modelName, model_id: m.modelId, p95_latency_ms: m.p95Ms, status: m.status, collected_at: m.collectedAt })),
    };
  }

  @Get('history')
  @Authenticated()
  @ApiOperation({ summary: "Each model's collected quantiles over the last hours, oldest first (for a chart)" })
  @ApiOkResponse({ type: HistoryAnswer })
  @ApiProblems(400, 401, 503)
  async history(@Query() query: LatencyHistoryQuery, @CommandCallOf() call: CommandCall): Promise<HistoryAnswer> {
    let result;
    try {
      result = await this.metrics.history({ hours: query.hours, modelName: query.model_name }, call);
    } catch (error) {
      // The service names its field; the caller knows it as the query parameter.
      if (error instanceof VistaError && error.code === 'invalid') {
        throw new ValidationError(
          error.message,
          (error.issues ?? []).map((i) => ({ ...i, path: i.path === 'modelName' ? 'model_name' : i.path })),
        );
      }
      throw error;
    }
    return {
      status: 'success',
      data: result.models.map((m) => ({
        model: m.modelName,
        model_id: m.modelId,
        data_points: m.points.map((p) => ({ timestamp: p.timestamp, p50_latency_ms: p.p50Ms, p95_latency_ms: p.p95Ms, p99_latency_ms: p.p99Ms })),
      })),
      count: result.models.length,
      time_range: { start: result.start, end: result.end, hours: result.hours },
    };
  }

  @Get('health')
  @Authenticated()
  @ApiOperation({
    summary: 'How the latency collection is doing',
    description:
      'The last successful collection, minutes since it and the model count; `degraded` (still 200) when the last collection failed, with its reason.',
  })
  @ApiOkResponse({ type: MetricsHealthAnswer })
  @ApiProblems(401, 503)
  async health(@CommandCallOf() call: CommandCall): Promise<MetricsHealthAnswer> {
    const h = await this.metrics.health(call);
    return {
      status: h.status,
      last_collection: h.lastCollection,
      minutes_ago: h.minutesAgo,
      model_count: h.modelCount,
      last_attempt: h.lastAttempt,
      schedule: h.schedule,
    };
  }

  @Post('collections')
  @RequireRoles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Collect every model latency from Prometheus now',
    description:
      'The scheduled collection, on demand; optionally from another Prometheus or histogram. A Prometheus that does not answer is recorded as a failed collection and answered 503 with the reason; the last good values stay.',
  })
  @ApiCreatedResponse({ type: CollectionAnswer })
  @ApiProblems(400, 401, 403, 503)
  async collect(@Body() body: CollectLatencyRequest, @CommandCallOf() call: CommandCall): Promise<CollectionAnswer> {
    const result = await this.metrics.collect({ prometheusUrl: body.prometheus_url, metricName: body.metric_name }, call);
    if (result.status === 'failed') throw new VistaError('unavailable', `collection ${result.collectionId} failed: ${result.reason ?? 'unknown reason'}`);
    return {
      status: 'success',
      collection_id: result.collectionId,
      collected_at: result.at,
      prometheus_url: result.prometheusUrl,
      metric_name: result.metricName,
      time_range: result.window,
      data: result.models.map(latencyItem),
      count: result.models.length,
    };
  }

  @Get('resources')
  @Authenticated()
  @ApiOperation({ summary: 'The services with CPU and memory series, and the metrics those come from' })
  @ApiOkResponse({ type: ResourcesAnswer })
  @ApiProblems(401, 503)
  async resources(@CommandCallOf() call: CommandCall): Promise<ResourcesAnswer> {
    const r = await this.metrics.resources(call);
    return { status: 'success', services: r.services, metrics: r.metrics, collected_at: r.collectedAt };
  }

  @Get('resources/:service')
  @Authenticated()
  @ApiOperation({ summary: "A service's CPU (cores) and memory (bytes) over the last minutes, one point per step" })
  @ApiOkResponse({ type: ResourceSeriesAnswer })
  @ApiProblems(400, 401, 404, 503)
  async resourceSeries(
    @Param() { service }: ServiceParams,
    @Query() query: ResourceSeriesQuery,
    @CommandCallOf() call: CommandCall,
  ): Promise<ResourceSeriesAnswer> {
    const r = await this.metrics.resourceSeries({ service, minutes: query.minutes, step: query.step }, call);
    return {
      status: 'success',
      service: r.service,
      data: r.points.map((p) => ({ timestamp: p.timestamp, cpu_cores: p.cpuCores, memory_bytes: p.memoryBytes })),
      count: r.points.length,
      step: r.step,
      time_range: { start: r.start, end: r.end, minutes: r.minutes },
      collected_at: r.collectedAt,
    };
  }
}
