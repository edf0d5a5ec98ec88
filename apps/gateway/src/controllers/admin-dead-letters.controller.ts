import { Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandCall, CommandClient } from '@vista/bus';
import { ConflictError, NotFoundError, ReplayDeadLetter } from '@vista/contracts';
import { DeadLetterIdParams, DeadLetterPage, DeadLetterQuery, DeadLetterReplay } from '../dto/dead-letter.response.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { RequireRoles } from '../http/route-policy.decorator.js';
import { DeadLetterQueries } from '../queries/dead-letter.queries.js';

@ApiBearerAuth()
@ApiTags('admin')
@Controller('api/v1/admin/dead-letters')
export class AdminDeadLettersController {
  constructor(
    @Inject(DeadLetterQueries) private readonly deadLetters: DeadLetterQueries,
    @Inject(CommandClient) private readonly client: CommandClient,
  ) {}

  @Get()
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Messages given up on, newest first',
    description:
      'Every message a consumer parked with its reason, and every message the server gave up on after a consumer’s maximum deliveries ' +
      '(its MAX_DELIVERIES advisory). Page with `before` = the previous page’s `nextBefore`. Admins only.',
  })
  @ApiOkResponse({ type: DeadLetterPage })
  @ApiProblems(400, 401, 403)
  list(@Query() query: DeadLetterQuery): Promise<DeadLetterPage> {
    return this.deadLetters.list(query);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.OK)
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Publish a dead letter again on its original subject',
    description:
      'After the cause is fixed: the message is published again as a new message (consumers fold and handle events idempotently). ' +
      '404 when there is no such dead letter, 409 when its message was no longer held when it was recorded. Admins only.',
  })
  @ApiOkResponse({ type: DeadLetterReplay })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  async replay(@Param() { id }: DeadLetterIdParams, @CommandCallOf() call: CommandCall): Promise<DeadLetterReplay> {
    const letter = await this.deadLetters.get(id);
    if (!letter) throw new NotFoundError(`dead letter ${id} does not exist`);
    if (!letter.replayable) throw new ConflictError(`dead letter ${id} has no message to replay: the stream no longer held it when it was recorded`);
    return this.client.execute(ReplayDeadLetter, { id }, call);
  }
}
