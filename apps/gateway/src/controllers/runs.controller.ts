import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { NotFoundError } from '@vista/contracts';
import type { Response } from 'express';
import { KitRunCommands } from '../commands/kit-run.commands.js';
import { RunIdParams } from '../dto/path.params.js';
import { RunControlRequest } from '../dto/run-control.request.js';
import { ControlledRun, Run } from '../dto/run.response.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { RunQueries } from '../queries/run.queries.js';

@ApiTags('runs')
@Controller('api/v1/runs')
export class RunsController {
  constructor(
    @Inject(RunQueries) private readonly runs: RunQueries,
    @Inject(KitRunCommands) private readonly commands: KitRunCommands,
  ) {}

  @Get(':runId')
  @ApiOperation({ summary: 'A kit run, with its latest stop or retry' })
  @ApiOkResponse({ type: Run })
  @ApiProblems(400, 404)
  async get(@Param() { runId }: RunIdParams): Promise<Run> {
    const run = await this.runs.get(runId);
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    return run;
  }

  @Post(':runId/control')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Stop or retry a run',
    description:
      '`stop` cancels the pending or running job and ends the chain; `retry` starts a new attempt (same job id, attempt + 1) of the ' +
      'job that failed, timed out or was cancelled, its history kept. The run is checked against the read model first: 404 for an ' +
      'unknown run, 409 for a stop of a run that already ended or a retry of one that did not fail, time out or get cancelled.',
  })
  @ApiAcceptedResponse({ type: ControlledRun, headers: { Location: { description: '/api/v1/runs/{runId}', schema: { type: 'string' } } } })
  @ApiIdempotencyKey()
  @ApiProblems(400, 404, 409, 413, 422, 503, 504)
  async control(
    @Param() { runId }: RunIdParams,
    @Body() body: RunControlRequest,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ControlledRun> {
    const result = await this.commands.control(runId, body, call, idempotencyKey);
    res.setHeader('Location', result.status);
    return result;
  }
}
