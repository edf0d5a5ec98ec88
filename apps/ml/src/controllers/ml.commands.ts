import { Controller } from '@nestjs/common';
import { PredictWithModel, type PredictWithModelResult, type PredictWithModelV1 } from '@vista/contracts';
import { type CommandMessage, CommandInput, OnCommand } from '@vista/bus';
import { PredictWithModelUseCase } from '../use-cases/predict-with-model/predict-with-model.use-case.js';

/** The ML service's commands (NATS request/reply, queue group `ml`). */
@Controller()
export class MlCommands {
  constructor(private readonly predictWithModel: PredictWithModelUseCase) {}

  @OnCommand(PredictWithModel)
  onPredictWithModel(@CommandInput(PredictWithModel) command: CommandMessage<PredictWithModelV1>): Promise<PredictWithModelResult> {
    return this.predictWithModel.execute(command);
  }
}
