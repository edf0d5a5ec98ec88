import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, NotFoundError, PIPELINE_ROLES } from '@vista/contracts';
import type { Response } from 'express';
import { KitRunCommands } from '../commands/kit-run.commands.js';
import { RunListQuery } from '../dto/kit.request.js';
import { KitRunPage, RunDetails, RunTasks } from '../dto/kit.response.js';
import { RunIdParams } from '../dto/path.params.js';
import { RunControlRequest } from '../dto/run-control.request.js';
import { ControlledRun, Run } from '../dto/run.response.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';
import { FreshnessQueries } from '../queries/freshness.queries.js';
import { KitQueries } from '../queries/kit.queries.js';
import { assertRange } from '../queries/listing.js';
import { RunQueries } from '../queries/run.queries.js';
import { Caller } from '@vista/identity';
import { OwnershipQueries, ownerFilter, viewerOf } from '../queries/ownership.queries.js';

@ApiBearerAuth()
@ApiTags('runs')
@Controller('api/v1/runs')
export class RunsController {
  constructor(
    @Inject(RunQueries) private readonly runs: RunQueries,
    @Inject(KitRunCommands) private readonly commands: KitRunCommands,
    @Inject(KitQueries) private readonly kits: KitQueries,
    @Inject(OwnershipQueries) private readonly owners: OwnershipQueries,
    @Inject(FreshnessQueries) private readonly freshness: FreshnessQueries,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: "List runs (seed 001's workflow runs) by kit, status, dataset and time started, the newest first; keyset pages",
    description: "Each with its status, attempt count and times. A user sees the runs they started, an admin everyone's.",
  })
  @ApiOkResponse({ type: KitRunPage })
  @ApiProblems(400, 403)
  list(@Query() query: RunListQuery, @Caller() caller: AccessTokenClaims, @Res({ passthrough: true }) res: Response): Promise<KitRunPage> {
    assertRange('startedFrom', query.startedFrom, 'startedTo', query.startedTo);
    const owner = ownerFilter(viewerOf(caller), query.owner, 'runs');
    const filter = { owner, kitId: query.kitId, status: query.status, deckId: query.deckId, startedFrom: query.startedFrom, startedTo: query.startedTo };
    return this.freshness.around(res, () => this.kits.runs(filter, query));
  }

  @Get(':runId')
  @Authenticated()
  @ApiOperation({ summary: 'A kit run, with its latest stop or retry' })
  @ApiOkResponse({ type: Run })
  @ApiProblems(400, 404)
  async get(@Param() { runId }: RunIdParams, @Caller() caller: AccessTokenClaims): Promise<Run> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.run(runId), `run ${runId}`);
    const run = await this.runs.get(runId);
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    return run;
  }

  @Get(':runId/tasks')
  @Authenticated()
  @ApiOperation({
    summary: 'The latest state of each task of a run',
    description:
      'One row per task (deck_collection, doe, preprocess, scaling, training, test, optimize) as far as the chain got: status, attempt, ' +
      "times, reason and the metadata of the event that set it. Linked from the kit's state (`links.tasks`).",
  })
  @ApiOkResponse({ type: RunTasks })
  @ApiProblems(400, 404)
  async tasks(@Param() { runId }: RunIdParams, @Caller() caller: AccessTokenClaims): Promise<RunTasks> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.run(runId), `run ${runId}`);
    const tasks = await this.kits.tasks(runId);
    if (!tasks) throw new NotFoundError(`run ${runId} does not exist`);
    return tasks;
  }

  @Get(':runId/details')
  @Authenticated()
  @ApiOperation({
    summary: "A run's stage rows, every attempt, with everything they recorded",
    description:
      "The rows of `read.deck_collection`, `read.doe_step` (with the dataset's data_info), `read.ml_step` and `read.optimize_step` " +
      "(with the optimisation trace) for the run, camelCase, each with the metadata of the events applied to it. Linked from the kit's " +
      "state (`links.details`); one job's outputs alone are at `GET /api/v1/jobs/{jobId}`.",
  })
  @ApiOkResponse({ type: RunDetails })
  @ApiProblems(400, 404)
  async details(@Param() { runId }: RunIdParams, @Caller() caller: AccessTokenClaims): Promise<RunDetails> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.run(runId), `run ${runId}`);
    const details = await this.kits.details(runId);
    if (!details) throw new NotFoundError(`run ${runId} does not exist`);
    return details;
  }

  @Post(':runId/control')
  @RequireRoles(...PIPELINE_ROLES.operate)
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
  @ApiProblems(400, 404, 409, 413, 422, 503)
  async control(
    @Param() { runId }: RunIdParams,
    @Body() body: RunControlRequest,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Caller() caller: AccessTokenClaims,
  ): Promise<ControlledRun> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.run(runId), `run ${runId}`);
    const result = await this.commands.control(runId, body, call, idempotencyKey);
    res.setHeader('Location', result.status);
    return result;
  }
}
