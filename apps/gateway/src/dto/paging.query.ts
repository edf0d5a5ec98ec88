import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInteger } from './transforms.js';

export class KitPageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'page must be an integer' })
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

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
