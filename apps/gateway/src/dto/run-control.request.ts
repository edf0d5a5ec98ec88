import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const RUN_ACTIONS = ['stop'] as const;

export class RunControlRequest {
  @ApiProperty({ enum: RUN_ACTIONS, description: "`stop` cancels the run's pending or running job and ends the chain." })
  @IsIn(RUN_ACTIONS)
  action!: (typeof RUN_ACTIONS)[number];

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
