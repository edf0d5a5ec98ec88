import { Controller } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import {
  ForbiddenError,
  RebuildReadModel,
  type RebuildReadModelResult,
  type RebuildReadModelV1,
  ReplayDeadLetter,
  type ReplayDeadLetterResult,
  type ReplayDeadLetterV1,
} from '@vista/contracts';
import { DeadLetters } from '../dead-letters/dead-letters.js';
import { RebuildReadModelUseCase } from '../use-cases/rebuild-read-model/rebuild-read-model.use-case.js';

/** The projector's commands over NATS (`<ns>.cmd.projector.*`). */
@Controller()
export class ProjectorCommandsController {
  constructor(
    private readonly rebuildReadModel: RebuildReadModelUseCase,
    private readonly deadLetters: DeadLetters,
  ) {}

  @OnCommand(RebuildReadModel)
  onRebuildReadModel(@CommandInput(RebuildReadModel) command: CommandMessage<RebuildReadModelV1>): Promise<RebuildReadModelResult> {
    return this.rebuildReadModel.execute({ actor: command.actor, reason: command.payload.reason });
  }

  @OnCommand(ReplayDeadLetter)
  onReplayDeadLetter(@CommandInput(ReplayDeadLetter) command: CommandMessage<ReplayDeadLetterV1>): Promise<ReplayDeadLetterResult> {
    // Admins only (the gateway checks too): a caller whose verified roles are known and lack it is refused.
    if (command.roles !== undefined && !command.roles.includes('admin')) {
      return Promise.reject(new ForbiddenError('replaying a dead letter needs the admin role'));
    }
    return this.deadLetters.replay(command.payload.id, command.actor);
  }
}
