import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { NotFoundError } from '@vista/contracts';
import type { Response } from 'express';
import { JobQueueCommands } from '../commands/job-queue.commands.js';
import { KitRunCommands } from '../commands/kit-run.commands.js';
import { HistoryPage, KitPage, KitState } from '../dto/kit.response.js';
import { HistoryQuery, KitPageQuery } from '../dto/paging.query.js';
import { KitIdParams } from '../dto/path.params.js';
import { StartedRun } from '../dto/run.response.js';
import { StartKitRunRequest } from '../dto/start-kit-run.request.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { POSITION_HEADER, ifNoneMatchHits, sendNotModified, setVersion, weakEtag } from '../http/etag.js';
import { KitQueries } from '../queries/kit.queries.js';

@ApiTags('kits')
@Controller('api/v1/kits')
export class KitsController {
  constructor(
    @Inject(KitQueries) private readonly kits: KitQueries,
    @Inject(KitRunCommands) private readonly commands: KitRunCommands,
    @Inject(JobQueueCommands) private readonly queues: JobQueueCommands,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List kits, the most recently updated first' })
  @ApiOkResponse({ type: KitPage })
  @ApiProblems(400)
  async list(@Query() query: KitPageQuery): Promise<KitPage> {
    const { items, total } = await this.kits.list(query.page, query.pageSize);
    return { items, page: query.page, pageSize: query.pageSize, total };
  }

  @Get(':kitId/state')
  @ApiOperation({
    summary: 'Where a kit stands: overall state and each job of the latest run, with links to the details',
    description:
      "Small by design (a few KB for a whole run): each fact once, and large details behind links — a job's full output " +
      "(datasets' data_info, the optimisation trace, step outputs) at `stages[].links.job`, the tasks' rows and the stage rows " +
      "with their metadata at `links.tasks` and `links.details`. Versioned by the read model's position: send the ETag back " +
      'in `If-None-Match` to get 304 while nothing changed.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer.' })
  @ApiOkResponse({
    type: KitState,
    headers: {
      ETag: { description: 'W/"kit-<kitId>-<position>"', schema: { type: 'string' } },
      [POSITION_HEADER]: { description: 'The position the answer was built at.', schema: { type: 'integer' } },
    },
  })
  @ApiNotModifiedResponse({ description: 'Unchanged since the ETag given in If-None-Match.' })
  @ApiProblems(400, 404, 503)
  async state(
    @Param() { kitId }: KitIdParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @CommandCallOf() call: CommandCall,
    @Res() res: Response,
  ): Promise<void> {
    if (ifNoneMatch) {
      const position = await this.kits.version(kitId);
      if (position === undefined) throw new NotFoundError(`kit ${kitId} has no state`);
      if (ifNoneMatchHits(ifNoneMatch, weakEtag('kit', kitId, position))) {
        sendNotModified(res, weakEtag('kit', kitId, position), position);
        return;
      }
    }
    const state = await this.kits.state(kitId);
    if (!state) throw new NotFoundError(`kit ${kitId} has no state`);
    const queued = state.stages.filter((stage) => stage.status === 'QUEUED' && state.run);
    let etag = weakEtag('kit', kitId, state.freshness.position);
    if (queued.length > 0) {
      const runId = state.run!.runId;
      const places = await this.queues.positions(
        queued.map((stage) => ({ jobType: stage.jobType, runId })),
        call,
      );
      for (const stage of queued) {
        const place = places.get(`${stage.jobType}:${runId}`);
        if (place) stage.queue = { position: place.position, waiting: place.waiting };
      }
      // A place in a queue moves without the read model changing: the tag says which places it shows.
      etag = weakEtag('kit', kitId, `${state.freshness.position}-q${queued.map((stage) => stage.queue?.position ?? 0).join('.')}`);
    }
    setVersion(res, etag, state.freshness.position);
    res.status(HttpStatus.OK).json(state);
  }

  @Get(':kitId/history')
  @ApiOperation({ summary: "A kit's state changes in the order they were applied" })
  @ApiOkResponse({ type: HistoryPage })
  @ApiProblems(400, 404)
  async history(@Param() { kitId }: KitIdParams, @Query() query: HistoryQuery): Promise<HistoryPage> {
    const items = await this.kits.history(kitId, query.afterPosition, query.limit);
    if (items.length === 0 && !(await this.kits.exists(kitId))) throw new NotFoundError(`kit ${kitId} has no state`);
    return { items, nextAfterPosition: items.length === query.limit ? items[items.length - 1]!.position : null };
  }

  @Post(':kitId/runs')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a run of the kit on an uploaded deck or a file in the deck folder',
    description: "Accepted once the deck service has started the run; follow it at the Location (the kit's state).",
  })
  @ApiAcceptedResponse({ type: StartedRun, headers: { Location: { description: '/api/v1/kits/{kitId}/state', schema: { type: 'string' } } } })
  @ApiIdempotencyKey()
  @ApiProblems(400, 404, 409, 413, 422, 503, 504)
  async startRun(
    @Param() { kitId }: KitIdParams,
    @Body() body: StartKitRunRequest,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StartedRun> {
    const result = await this.commands.start(kitId, body, call, idempotencyKey);
    res.setHeader('Location', `/api/v1/kits/${result.kitId}/state`);
    return { kitId: result.kitId, runId: result.runId, jobId: result.jobId };
  }
}
