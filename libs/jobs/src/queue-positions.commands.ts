import { Controller, type Type } from '@nestjs/common';
import { type CommandMessage, CommandInput, OnCommand } from '@vista/bus';
import { GetQueuePositions, type GetQueuePositionsResult, type GetQueuePositionsV1, type JobType } from '@vista/contracts';
import { StageHostFactory } from './stage-host.factory.js';

/** The stage service's answer to GetQueuePositions (its own subject, so the class is made per stage). */
export function queuePositionsCommands(stage: JobType): Type {
  const command = GetQueuePositions[stage];

  @Controller()
  class QueuePositionsCommands {
    constructor(private readonly stages: StageHostFactory) {}

    @OnCommand(command)
    async onGetQueuePositions(@CommandInput(command) message: CommandMessage<GetQueuePositionsV1>): Promise<GetQueuePositionsResult> {
      return { positions: Object.fromEntries(await this.stages.queuePositions(message.payload.runIds)) };
    }
  }
  return QueuePositionsCommands;
}
