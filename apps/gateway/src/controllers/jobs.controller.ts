import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@vista/contracts';
import { JobLogPage, JobView } from '../dto/job.response.js';
import { JobLogsQuery } from '../dto/paging.query.js';
import { JobIdParams } from '../dto/path.params.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { JobQueries } from '../queries/job.queries.js';

@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(@Inject(JobQueries) private readonly jobs: JobQueries) {}

  @Get(':jobId')
  @ApiOperation({
    summary: 'A job with every attempt, the newest first',
    description: 'A retry is a new attempt of the same job: each keeps its own times, status and reason. ML attempts list their four steps.',
  })
  @ApiOkResponse({ type: JobView })
  @ApiProblems(400, 404)
  async get(@Param() { jobId }: JobIdParams): Promise<JobView> {
    const job = await this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`job ${jobId} does not exist`);
    return job;
  }

  @Get(':jobId/logs')
  @ApiOperation({ summary: 'The lines a job logged, by attempt, time and line' })
  @ApiOkResponse({ type: JobLogPage })
  @ApiProblems(400, 404)
  async logs(@Param() { jobId }: JobIdParams, @Query() query: JobLogsQuery): Promise<JobLogPage> {
    const items = await this.jobs.logs(jobId, query);
    if (items.length === 0 && !(await this.jobs.exists(jobId))) throw new NotFoundError(`job ${jobId} does not exist`);
    return {
      jobId,
      attempt: query.attempt ?? null,
      items,
      nextOffset: items.length === query.limit ? query.offset + items.length : null,
    };
  }
}
