import { Injectable } from '@nestjs/common';
import { type GetLatencyHistoryResult, type GetLatencyHistoryV1, ValidationError } from '@vista/contracts';
import { LatencyMetricsRepository } from '../../repositories/latency-metrics.repository.js';

/** GetLatencyHistory: each model's snapshots over the last hours, oldest first; an unknown model name is refused, naming it. */
@Injectable()
export class GetLatencyHistoryUseCase {
  constructor(private readonly repository: LatencyMetricsRepository) {}

  async execute(query: GetLatencyHistoryV1, now = new Date()): Promise<GetLatencyHistoryResult> {
    if (query.modelName !== undefined && !(await this.repository.knowsModelName(query.modelName))) {
      throw new ValidationError(`no model named ${JSON.stringify(query.modelName)} has latency metrics`, [
        { path: 'modelName', message: `unknown model ${JSON.stringify(query.modelName)}` },
      ]);
    }
    const start = new Date(now.getTime() - query.hours * 3_600_000);
    const rows = await this.repository.history(start, query.modelName);
    const models = new Map<string, GetLatencyHistoryResult['models'][number]>();
    for (const row of rows) {
      const model = models.get(row.model_id) ?? { modelId: row.model_id, modelName: row.model_name, points: [] };
      model.points.push({ timestamp: row.collected_at.toISOString(), p50Ms: row.p50_ms, p95Ms: row.p95_ms, p99Ms: row.p99_ms });
      models.set(row.model_id, model);
    }
    return { models: [...models.values()], start: start.toISOString(), end: now.toISOString(), hours: query.hours };
  }
}
