import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { NotFoundError } from '@vista/contracts';
import { KitRunCommands } from '../commands/kit-run.commands.js';
import { RunIdParams } from '../dto/path.params.js';
import { RunControlRequest } from '../dto/run-control.request.js';
import { Run, StoppedRun } from '../dto/run.response.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { RunQueries } from '../queries/run.queries.js';

@ApiTags('runs')
@Controller('api/v1/runs')
export class RunsController {
  constructor(
    @Inject(RunQueries) private readonly runs: RunQueries,
    @Inject(KitRunCommands) private readonly commands: KitRunCommands,
  ) {}

  @Get(':runId')
  @ApiOperation({ summary: 'A kit run' })
  @ApiOkResponse({ type: Run })
  @ApiProblems(400, 404)
  async get(@Param() { runId }: RunIdParams): Promise<Run> {
    const run = await this.runs.get(runId);
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    return run;
  }

  @Post(':runId/control')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Control a run: `stop` cancels its pending or running job and ends the chain' })
  @ApiAcceptedResponse({ type: StoppedRun })
  @ApiProblems(400, 404, 409, 413, 503, 504)
  async control(@Param() { runId }: RunIdParams, @Body() body: RunControlRequest, @CommandCallOf() call: CommandCall): Promise<StoppedRun> {
    const result = await this.commands.control(runId, body, call);
    return { runId: result.runId, cancelledJobIds: result.cancelledJobIds };
  }
}
