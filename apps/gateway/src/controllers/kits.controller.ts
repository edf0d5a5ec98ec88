import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, ConflictError, NotFoundError, PIPELINE_ROLES } from '@vista/contracts';
import type { Response } from 'express';
import { JobQueueCommands } from '../commands/job-queue.commands.js';
import { KitRunCommands } from '../commands/kit-run.commands.js';
import { ResourceCommands } from '../commands/resource.commands.js';
import { CreateKitRequest, KitListQuery, KitRunListQuery, UpdateKitRequest } from '../dto/kit.request.js';
import { HistoryPage, KitPage, KitRunPage, KitState, KitSummary } from '../dto/kit.response.js';
import { HistoryQuery } from '../dto/paging.query.js';
import { KitIdParams } from '../dto/path.params.js';
import { StartedRun } from '../dto/run.response.js';
import { StartKitRunRequest } from '../dto/start-kit-run.request.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { POSITION_HEADER, ifNoneMatchHits, sendNotModified, setVersion, weakEtag } from '../http/etag.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';
import { FreshnessQueries } from '../queries/freshness.queries.js';
import { KitQueries } from '../queries/kit.queries.js';
import { assertRange } from '../queries/listing.js';
import { Caller } from '@vista/identity';
import { OwnershipQueries, ownerFilter, viewerOf } from '../queries/ownership.queries.js';

@ApiBearerAuth()
@ApiTags('kits')
@Controller('api/v1/kits')
export class KitsController {
  constructor(
    @Inject(KitQueries) private readonly kits: KitQueries,
    @Inject(KitRunCommands) private readonly commands: KitRunCommands,
    @Inject(JobQueueCommands) private readonly queues: JobQueueCommands,
    @Inject(OwnershipQueries) private readonly owners: OwnershipQueries,
    @Inject(ResourceCommands) private readonly resources: ResourceCommands,
    @Inject(FreshnessQueries) private readonly freshness: FreshnessQueries,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List kits: filter by status, owner, name, project and time updated, search; the most recently updated first',
    description:
      "A user sees their own kits, an admin everyone's. Archived kits are left out unless `archived=include|only`. Page on with `cursor` " +
      '(keyset: no row repeated or skipped while rows are added); `freshness` (and `Vista-Position`) says which events the list reflects.',
  })
  @ApiOkResponse({ type: KitPage })
  @ApiProblems(400, 403)
  async list(@Query() query: KitListQuery, @Caller() caller: AccessTokenClaims, @Res({ passthrough: true }) res: Response): Promise<KitPage> {
    assertRange('updatedFrom', query.updatedFrom, 'updatedTo', query.updatedTo);
    const owner = ownerFilter(viewerOf(caller), query.owner, 'kits');
    const filter = {
      owner,
      status: query.status,
      name: query.name,
      q: query.q,
      projectId: query.projectId,
      updatedFrom: query.updatedFrom,
      updatedTo: query.updatedTo,
      archived: query.archived,
    };
    const page = await this.freshness.around(res, () => this.kits.list(filter, query));
    return { ...page, page: query.page };
  }

  @Post()
  @RequireRoles(...PIPELINE_ROLES.operate)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a kit as a named task, with a description, default run parameters and a project; the caller owns it',
    description: 'The deck service (which owns kits and their runs) gives it its id and records KitCreated with the caller as actor.',
  })
  @ApiCreatedResponse({ type: KitSummary, headers: { Location: { description: '/api/v1/kits/{kitId}', schema: { type: 'string' } } } })
  @ApiIdempotencyKey()
  @ApiProblems(400, 422, 503)
  async create(
    @Body() body: CreateKitRequest,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Caller() caller: AccessTokenClaims,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KitSummary> {
    const created = await this.resources.createKit(body, call, idempotencyKey);
    res.setHeader('Location', `/api/v1/kits/${created.kitId}`);
    const now = new Date().toISOString();
    // Answered from the command's result: the read model may not have folded KitCreated yet.
    return {
      ...created,
      archivedAt: null,
      runId: null,
      status: 'NEW',
      currentTask: null,
      currentOrder: null,
      runs: 0,
      owner: caller.sub,
      createdAt: now,
      updatedAt: now,
      position: 0,
    };
  }

  @Get(':kitId')
  @Authenticated()
  @ApiOperation({ summary: 'A kit: its name, description, default parameters, project, archived state and where its latest run stands' })
  @ApiOkResponse({ type: KitSummary })
  @ApiProblems(400, 404)
  async get(@Param() { kitId }: KitIdParams, @Caller() caller: AccessTokenClaims): Promise<KitSummary> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.kit(kitId), `kit ${kitId}`);
    const kit = await this.kits.get(kitId);
    if (!kit) throw new NotFoundError(`kit ${kitId} does not exist`);
    return kit;
  }

  @Patch(':kitId')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @ApiOperation({
    summary: "Change a kit's name, description, default run parameters or project",
    description: 'Only its owner or an admin. Recorded as KitUpdated with its actor. Null clears description or project.',
  })
  @ApiOkResponse({ type: KitSummary })
  @ApiProblems(400, 403, 404, 409, 503)
  async update(
    @Param() { kitId }: KitIdParams,
    @Body() body: UpdateKitRequest,
    @CommandCallOf() call: CommandCall,
    @Caller() caller: AccessTokenClaims,
  ): Promise<KitSummary> {
    const kit = await this.visibleKit(kitId, caller);
    const definition = await this.resources.updateKit({ kitId, ...body }, call);
    return { ...kit, ...definition };
  }

  @Post(':kitId/archive')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Archive a kit: left out of default lists, still readable by id (`archived: true`), its runs and history kept',
    description: 'Only its owner or an admin; 409 when already archived. Recorded as KitArchived with its actor.',
  })
  @ApiOkResponse({ type: KitSummary })
  @ApiProblems(400, 403, 404, 409, 503)
  async archive(@Param() { kitId }: KitIdParams, @CommandCallOf() call: CommandCall, @Caller() caller: AccessTokenClaims): Promise<KitSummary> {
    const kit = await this.visibleKit(kitId, caller);
    const definition = await this.resources.archiveKit(kitId, call);
    return { ...kit, ...definition };
  }

  @Get(':kitId/runs')
  @Authenticated()
  @ApiOperation({ summary: "A kit's runs, the newest first, each with its status, attempt count and times; keyset pages" })
  @ApiOkResponse({ type: KitRunPage })
  @ApiProblems(400, 404)
  async runs(
    @Param() { kitId }: KitIdParams,
    @Query() query: KitRunListQuery,
    @Caller() caller: AccessTokenClaims,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KitRunPage> {
    await this.visibleKit(kitId, caller);
    return this.freshness.around(res, () => this.kits.runs({ kitId }, query));
  }

  /** The kit, when it exists and the caller may see it (another user's: 404, as an unknown id). */
  private async visibleKit(kitId: number, caller: AccessTokenClaims): Promise<KitSummary> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.kit(kitId), `kit ${kitId}`);
    const kit = await this.kits.get(kitId);
    if (!kit) throw new NotFoundError(`kit ${kitId} does not exist`);
    return kit;
  }

  @Get(':kitId/state')
  @Authenticated()
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
    @Caller() caller: AccessTokenClaims,
  ): Promise<void> {
    const viewer = viewerOf(caller);
    if (ifNoneMatch) {
      OwnershipQueries.assertVisible(viewer, await this.owners.kit(kitId), `kit ${kitId}`);
      const position = await this.kits.version(kitId);
      if (position === undefined) throw new NotFoundError(`kit ${kitId} has no state`);
      if (ifNoneMatchHits(ifNoneMatch, weakEtag('kit', kitId, position))) {
        sendNotModified(res, weakEtag('kit', kitId, position), position);
        return;
      }
    }
    // The owner is checked on the kit row the state is read with: one statement fewer per read.
    const state = await this.kits.state(kitId, viewer);
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
  @Authenticated()
  @ApiOperation({ summary: "A kit's state changes in the order they were applied" })
  @ApiOkResponse({ type: HistoryPage })
  @ApiProblems(400, 404)
  async history(@Param() { kitId }: KitIdParams, @Query() query: HistoryQuery, @Caller() caller: AccessTokenClaims): Promise<HistoryPage> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.kit(kitId), `kit ${kitId}`);
    const items = await this.kits.history(kitId, query.afterPosition, query.limit);
    if (items.length === 0 && !(await this.kits.exists(kitId))) throw new NotFoundError(`kit ${kitId} has no state`);
    return { items, nextAfterPosition: items.length === query.limit ? items[items.length - 1]!.position : null };
  }

  @Post(':kitId/runs')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a run of the kit on an uploaded deck or a file in the deck folder',
    description: "Accepted once the deck service has started the run; follow it at the Location (the kit's state).",
  })
  @ApiAcceptedResponse({ type: StartedRun, headers: { Location: { description: '/api/v1/kits/{kitId}/state', schema: { type: 'string' } } } })
  @ApiIdempotencyKey()
  @ApiProblems(400, 404, 409, 413, 422, 503)
  async startRun(
    @Param() { kitId }: KitIdParams,
    @Body() body: StartKitRunRequest,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Caller() caller: AccessTokenClaims,
  ): Promise<StartedRun> {
    const viewer = viewerOf(caller);
    OwnershipQueries.assertOwnKit(viewer, await this.owners.kit(kitId), kitId);
    if (body.deckId) OwnershipQueries.assertVisible(viewer, await this.owners.deck(body.deckId), `deck ${body.deckId}`);
    // A named kit's default parameters, overridden by those the run names.
    const kit = await this.kits.get(kitId);
    if (kit?.archived) throw new ConflictError(`kit ${kitId} is archived: it takes no new runs`);
    const defaults = kit?.defaultParams;
    const request = defaults ? { ...body, params: withDefaults(defaults, { ...body.params }) as StartKitRunRequest['params'] } : body;
    const result = await this.commands.start(kitId, request, call, idempotencyKey);
    res.setHeader('Location', `/api/v1/kits/${result.kitId}/state`);
    return { kitId: result.kitId, runId: result.runId, jobId: result.jobId };
  }
}

/** A run's parameters over its kit's defaults, section by section (`doe`, `ml`, …), field by field within each. */
export function withDefaults(defaults: Record<string, unknown>, params: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    merged[key] = isObject(value) && isObject(merged[key]) ? { ...merged[key], ...value } : value;
  }
  return merged;
}
