import { Controller } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import { RebuildReadModel, type RebuildReadModelResult, type RebuildReadModelV1 } from '@vista/contracts';
import { RebuildReadModelUseCase } from '../use-cases/rebuild-read-model/rebuild-read-model.use-case.js';

/** The projector's commands over NATS (`<ns>.cmd.projector.*`). */
@Controller()
export class ProjectorCommandsController {
  constructor(private readonly rebuildReadModel: RebuildReadModelUseCase) {}

  @OnCommand(RebuildReadModel)
  onRebuildReadModel(@CommandInput(RebuildReadModel) command: CommandMessage<RebuildReadModelV1>): Promise<RebuildReadModelResult> {
    return this.rebuildReadModel.execute({ actor: command.actor, reason: command.payload.reason });
  }
}
