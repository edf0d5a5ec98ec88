import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { MODEL_LISTING } from '../queries/model.queries.js';
import { NumberedListQuery, SortOf } from './list.query.js';
import { KIT_ID_MAX } from './path.params.js';
import { ToInteger } from './transforms.js';

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'Rows per page.' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: "Only rows after this position (the previous page's `nextAfterPosition`)." })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'afterPosition must be an integer' })
  @Min(0)
  afterPosition: number = 0;
}

export class ModelPageQuery extends NumberedListQuery {
  @SortOf(MODEL_LISTING) sort?: string;

  @ApiPropertyOptional({ description: "Only the kit's models.", minimum: 1, maximum: KIT_ID_MAX })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'kitId must be an integer' })
  @Min(1)
  @Max(KIT_ID_MAX)
  kitId?: number;

  @ApiPropertyOptional({ description: "Only the run's models.", format: 'uuid' })
  @IsOptional()
  @IsUUID()
  runId?: string;

  @ApiPropertyOptional({ description: 'Only models of this algorithm.', example: 'ridge', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  algorithm?: string;
}

export class JobLogsQuery {
  @ApiPropertyOptional({ minimum: 1, description: "Only this attempt's lines; all attempts by default." })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'attempt must be an integer' })
  @Min(1)
  @Max(1_000_000)
  attempt?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 1000, description: 'Lines per page.' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(5000)
  limit: number = 1000;

  @ApiPropertyOptional({
    minimum: 0,
    default: 0,
    description: "Lines to skip (the previous page's `nextOffset`); ignored with `cursor`, which is preferred: a running job's new lines do not shift it.",
  })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  offset: number = 0;

  @ApiPropertyOptional({ description: "Continue after the previous page's last line: its `nextCursor`.", maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[\w-]+$/, { message: 'cursor must be a nextCursor the API gave' })
  cursor?: string;
}
