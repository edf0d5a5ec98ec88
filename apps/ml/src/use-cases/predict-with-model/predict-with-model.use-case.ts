import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type PredictWithModelResult, type PredictWithModelV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { createPredictorCache } from '../../domain/predictor-cache.js';
import { ML_CONFIG, type MlConfig } from '../../config/ml.config.js';
import { ModelRepository } from '../../repositories/model.repository.js';

/** PredictWithModel: loads a registered model (kept in a small cache) and predicts the given rows. */
@Injectable()
export class PredictWithModelUseCase {
  private readonly cache;

  constructor(
    @Inject(ML_CONFIG) config: MlConfig,
    private readonly models: ModelRepository,
  ) {
    this.cache = createPredictorCache(config.ML_MODEL_CACHE_SIZE);
  }

  async execute(command: CommandMessage<PredictWithModelV1>): Promise<PredictWithModelResult> {
    const { modelId, rows } = command.payload;
    const model = this.cache.get(modelId) ?? (await this.load(modelId));
    return { modelId, modelVersion: model.modelVersion, response: model.artifact.response, factors: model.artifact.factors, predictions: model.predict(rows) };
  }

  private async load(modelId: string) {
    const stored = await this.models.find(modelId);
    if (!stored) throw new NotFoundError(`model ${modelId} is not in the registry`);
    return this.cache.put(stored);
  }
}
