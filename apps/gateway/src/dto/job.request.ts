import { ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, JOB_TYPES } from '@vista/contracts';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { JOB_LISTING } from '../queries/job.queries.js';
import { DateFilter, ListQuery, SortOf, TextFilter } from './list.query.js';
import { KIT_ID_MAX } from './path.params.js';
import { ToInteger } from './transforms.js';

/** Filters of a job list that any list of jobs takes (a project's jobs too). */
export class JobFilterQuery extends ListQuery {
  @SortOf(JOB_LISTING) sort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: KIT_ID_MAX, description: "Only the kit's jobs." })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'kitId must be an integer' })
  @Min(1)
  @Max(KIT_ID_MAX)
  kitId?: number;

  @ApiPropertyOptional({ format: 'uuid', description: "Only the run's jobs." })
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;

  @ApiPropertyOptional({ enum: JOB_TYPES, description: 'Only jobs of this stage.' })
  @IsOptional()
  @IsIn(JOB_TYPES, { message: `stage must be one of ${JOB_TYPES.join(', ')}` })
  stage?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of ${JOB_STATUSES.join(', ')}` })
  status?: string;

  @DateFilter('Only jobs created at or after this time.') createdFrom?: string;
  @DateFilter('Only jobs created at or before this time.') createdTo?: string;
}

export class JobListQuery extends JobFilterQuery {
  @TextFilter("Only this user's jobs (a user id). Users other than admins may name only themselves.") owner?: string;
}
