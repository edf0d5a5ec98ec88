import { Controller } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import { Describe__Name__, type Describe__Name__Result, type Describe__Name__V1 } from '@vista/contracts';
import { Describe__Name__UseCase } from '../use-cases/describe-__name__/describe-__name__.use-case.js';

/** The __name__ service's commands (NATS request/reply, queue group `__name__`). */
@Controller()
export class __Name__Commands {
  constructor(private readonly describe__Name__: Describe__Name__UseCase) {}

  @OnCommand(Describe__Name__)
  onDescribe__Name__(@CommandInput(Describe__Name__) command: CommandMessage<Describe__Name__V1>): Promise<Describe__Name__Result> {
    return this.describe__Name__.execute(command.payload);
  }
}
