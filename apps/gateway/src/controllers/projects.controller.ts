import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, NotFoundError, PIPELINE_ROLES } from '@vista/contracts';
import { Caller } from '@vista/identity';
import type { Response } from 'express';
import { ResourceCommands } from '../commands/resource.commands.js';
import { JobFilterQuery } from '../dto/job.request.js';
import { JobPage } from '../dto/job.response.js';
import { KitListQuery } from '../dto/kit.request.js';
import { KitPage } from '../dto/kit.response.js';
import { ProjectIdParams } from '../dto/path.params.js';
import { CreateProjectRequest, ProjectListQuery } from '../dto/project.request.js';
import { Project, ProjectPage } from '../dto/project.response.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';
import { FreshnessQueries } from '../queries/freshness.queries.js';
import { JobQueries } from '../queries/job.queries.js';
import { KitQueries } from '../queries/kit.queries.js';
import { assertRange } from '../queries/listing.js';
import { OwnershipQueries, ownerFilter, viewerOf } from '../queries/ownership.queries.js';
import { ProjectQueries } from '../queries/project.queries.js';

/** Projects (seed 003's grouping of work): create and list them, and list their kits and jobs. */
@ApiBearerAuth()
@ApiTags('projects')
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(
    @Inject(ProjectQueries) private readonly projects: ProjectQueries,
    @Inject(KitQueries) private readonly kits: KitQueries,
    @Inject(JobQueries) private readonly jobs: JobQueries,
    @Inject(ResourceCommands) private readonly commands: ResourceCommands,
    @Inject(FreshnessQueries) private readonly freshness: FreshnessQueries,
  ) {}

  @Post()
  @RequireRoles(...PIPELINE_ROLES.operate)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a project; the caller owns it (ProjectCreated, with the caller as actor)' })
  @ApiCreatedResponse({ type: Project, headers: { Location: { description: '/api/v1/projects/{projectId}', schema: { type: 'string' } } } })
  @ApiIdempotencyKey()
  @ApiProblems(400, 422, 503)
  async create(
    @Body() body: CreateProjectRequest,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Caller() caller: AccessTokenClaims,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Project> {
    const created = await this.commands.createProject(body, call, idempotencyKey);
    res.setHeader('Location', `/api/v1/projects/${created.projectId}`);
    return {
      ...created,
      owner: caller.sub,
      kits: 0,
      createdAt: new Date().toISOString(),
      links: { kits: `/api/v1/projects/${created.projectId}/kits`, jobs: `/api/v1/projects/${created.projectId}/jobs` },
      position: 0,
    };
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "List projects, filtered by name, owner and time created; keyset pages. A user sees their own, an admin everyone's." })
  @ApiOkResponse({ type: ProjectPage })
  @ApiProblems(400, 403)
  list(@Query() query: ProjectListQuery, @Caller() caller: AccessTokenClaims, @Res({ passthrough: true }) res: Response): Promise<ProjectPage> {
    assertRange('createdFrom', query.createdFrom, 'createdTo', query.createdTo);
    const owner = ownerFilter(viewerOf(caller), query.owner, 'projects');
    return this.freshness.around(res, () => this.projects.list({ owner, name: query.name, createdFrom: query.createdFrom, createdTo: query.createdTo }, query));
  }

  @Get(':projectId')
  @Authenticated()
  @ApiOperation({ summary: 'A project, with how many kits belong to it' })
  @ApiOkResponse({ type: Project })
  @ApiProblems(400, 404)
  async get(@Param() { projectId }: ProjectIdParams, @Caller() caller: AccessTokenClaims): Promise<Project> {
    await this.assertVisible(projectId, caller);
    return (await this.projects.get(projectId))!;
  }

  @Get(':projectId/kits')
  @Authenticated()
  @ApiOperation({ summary: "A project's kits, with the kit list's filters, sorts and keyset paging" })
  @ApiOkResponse({ type: KitPage })
  @ApiProblems(400, 403, 404)
  async kitsOf(
    @Param() { projectId }: ProjectIdParams,
    @Query() query: KitListQuery,
    @Caller() caller: AccessTokenClaims,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KitPage> {
    await this.assertVisible(projectId, caller);
    assertRange('updatedFrom', query.updatedFrom, 'updatedTo', query.updatedTo);
    const owner = ownerFilter(viewerOf(caller), query.owner, 'kits');
    const filter = {
      owner,
      projectId,
      status: query.status,
      name: query.name,
      q: query.q,
      updatedFrom: query.updatedFrom,
      updatedTo: query.updatedTo,
      archived: query.archived,
    };
    const page = await this.freshness.around(res, () => this.kits.list(filter, query));
    return { ...page, page: query.page };
  }

  @Get(':projectId/jobs')
  @Authenticated()
  @ApiOperation({ summary: "The jobs of a project's kits, with the job list's filters and keyset paging" })
  @ApiOkResponse({ type: JobPage })
  @ApiProblems(400, 404)
  async jobsOf(
    @Param() { projectId }: ProjectIdParams,
    @Query() query: JobFilterQuery,
    @Caller() caller: AccessTokenClaims,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobPage> {
    await this.assertVisible(projectId, caller);
    assertRange('createdFrom', query.createdFrom, 'createdTo', query.createdTo);
    const { owner } = viewerOf(caller);
    const filter = {
      owner,
      projectId,
      kitId: query.kitId,
      runId: query.runId,
      stage: query.stage,
      status: query.status,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
    };
    return this.freshness.around(res, () => this.jobs.list(filter, query));
  }

  /** Another user's project answers 404, as an unknown id. */
  private async assertVisible(projectId: string, caller: AccessTokenClaims): Promise<void> {
    const owner = await this.projects.owner(projectId);
    if (owner === undefined) throw new NotFoundError(`project ${projectId} does not exist`);
    OwnershipQueries.assertVisible(viewerOf(caller), owner, `project ${projectId}`);
  }
}
