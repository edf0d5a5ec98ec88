import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import { PredictWithModel, type PredictWithModelResult } from '@vista/contracts';
import type { PredictRequest } from '../dto/predict.request.js';

/** Up to 10,000 rows through a forest of trees takes longer than an ordinary command. */
const PREDICT_TIMEOUT_MS = 30_000;

/** Asks the ml service, which holds the model artifacts, for predictions. */
@Injectable()
export class ModelCommands {
  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

  predict(modelId: string, request: PredictRequest, call: CommandCall): Promise<PredictWithModelResult> {
    return this.client.execute(PredictWithModel, { modelId, rows: request.rows }, { ...call, timeoutMs: PREDICT_TIMEOUT_MS });
  }
}
