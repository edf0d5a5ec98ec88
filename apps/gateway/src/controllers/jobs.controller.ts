import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AccessTokenClaims, NotFoundError } from '@vista/contracts';
import type { Response } from 'express';
import { JobListQuery } from '../dto/job.request.js';
import { JobLogPage, JobPage, JobView } from '../dto/job.response.js';
import { JobLogsQuery } from '../dto/paging.query.js';
import { JobIdParams } from '../dto/path.params.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { Authenticated } from '../http/route-policy.decorator.js';
import { FreshnessQueries } from '../queries/freshness.queries.js';
import { JobQueries } from '../queries/job.queries.js';
import { assertRange } from '../queries/listing.js';
import { Caller } from '@vista/identity';
import { OwnershipQueries, ownerFilter, viewerOf } from '../queries/ownership.queries.js';

@ApiBearerAuth()
@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    @Inject(JobQueries) private readonly jobs: JobQueries,
    @Inject(OwnershipQueries) private readonly owners: OwnershipQueries,
    @Inject(FreshnessQueries) private readonly freshness: FreshnessQueries,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List jobs by kit, run, stage, status and time created; keyset pages, the newest first',
    description:
      "One row per job attempt (an ML attempt: one per step), with links to the job and its log. A user sees the jobs of their own runs, an admin everyone's. " +
      '`freshness` (and `Vista-Position`) says which events the list reflects.',
  })
  @ApiOkResponse({ type: JobPage })
  @ApiProblems(400, 403)
  list(@Query() query: JobListQuery, @Caller() caller: AccessTokenClaims, @Res({ passthrough: true }) res: Response): Promise<JobPage> {
    assertRange('createdFrom', query.createdFrom, 'createdTo', query.createdTo);
    const owner = ownerFilter(viewerOf(caller), query.owner, 'jobs');
    return this.freshness.around(res, () =>
      this.jobs.list(
        {
          owner,
          kitId: query.kitId,
          runId: query.runId,
          stage: query.stage,
          status: query.status,
          createdFrom: query.createdFrom,
          createdTo: query.createdTo,
        },
        query,
      ),
    );
  }

  @Get(':jobId')
  @Authenticated()
  @ApiOperation({
    summary: 'A job with every attempt, the newest first',
    description: 'A retry is a new attempt of the same job: each keeps its own times, status and reason. ML attempts list their four steps.',
  })
  @ApiOkResponse({ type: JobView })
  @ApiProblems(400, 404)
  async get(@Param() { jobId }: JobIdParams, @Caller() caller: AccessTokenClaims): Promise<JobView> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.job(jobId), `job ${jobId}`);
    const job = await this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`job ${jobId} does not exist`);
    return job;
  }

  @Get(':jobId/logs')
  @Authenticated()
  @ApiOperation({ summary: 'The lines a job logged, by attempt, time and line' })
  @ApiOkResponse({ type: JobLogPage })
  @ApiProblems(400, 404)
  async logs(@Param() { jobId }: JobIdParams, @Query() query: JobLogsQuery, @Caller() caller: AccessTokenClaims): Promise<JobLogPage> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.job(jobId), `job ${jobId}`);
    const { items, nextCursor } = await this.jobs.logs(jobId, query);
    if (items.length === 0 && !(await this.jobs.exists(jobId))) throw new NotFoundError(`job ${jobId} does not exist`);
    return {
      jobId,
      attempt: query.attempt ?? null,
      items,
      nextCursor,
      nextOffset: nextCursor !== null && query.cursor === undefined ? query.offset + items.length : null,
    };
  }
}
