import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { NotFoundError, type PredictWithModelResult, type PredictWithModelV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { WorkerPool } from '@vista/jobs';
import { metrics } from '@vista/telemetry';
import { predictionLatency } from '../../domain/prediction-latency.js';
import { createPredictorCache } from '../../domain/predictor-cache.js';
import { ML_CONFIG, type MlConfig } from '../../config/ml.config.js';
import { ModelRepository } from '../../repositories/model.repository.js';
import type { PredictTaskInput } from '../../workers/predict.worker.js';

/** The prediction workers' module (preloaded by each of them). */
export const PREDICT_WORKER = new URL('../../workers/predict.worker.js', import.meta.url);

/**
 * PredictWithModel: loads a registered model (kept in a small cache) and predicts the given rows on the
 * service's bounded prediction pool, so a large model or a large batch never holds the event loop.
 */
@Injectable()
export class PredictWithModelUseCase implements OnApplicationShutdown {
  private readonly cache;
  private readonly latency = predictionLatency(metrics);
  private readonly pool: WorkerPool;

  constructor(
    @Inject(ML_CONFIG) config: MlConfig,
    private readonly models: ModelRepository,
  ) {
    this.cache = createPredictorCache(config.ML_MODEL_CACHE_SIZE);
    this.pool = new WorkerPool({ size: config.ML_PREDICT_WORKERS, preload: PREDICT_WORKER });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  async execute(command: CommandMessage<PredictWithModelV1>): Promise<PredictWithModelResult> {
    const { modelId, rows } = command.payload;
    const started = process.hrtime.bigint();
    const model = this.cache.get(modelId) ?? (await this.load(modelId));
    const predictions = await this.pool.run<PredictTaskInput, never, number[]>(PREDICT_WORKER, {
      key: `${model.modelId}@${model.modelVersion}`,
      artifactJson: model.artifactJson,
      rows,
    });
    // Only answered predictions count: a model that does not exist has no latency to report.
    this.latency.observe(model, Number(process.hrtime.bigint() - started) / 1e9);
    return { modelId, modelVersion: model.modelVersion, response: model.artifact.response, factors: model.artifact.factors, predictions };
  }

  private async load(modelId: string) {
    const stored = await this.models.find(modelId);
    if (!stored) throw new NotFoundError(`model ${modelId} is not in the registry`);
    return this.cache.put(stored);
  }
}
