import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const RUN_ACTIONS = ['stop', 'retry'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

export class RunControlRequest {
  @ApiProperty({
    enum: RUN_ACTIONS,
    description:
      "`stop` cancels the run's pending or running job and ends the chain (refused once the run has ended); " +
      '`retry` starts a new attempt of the job that failed, timed out or was cancelled (only for a FAILED, TIMEOUT or CANCELLED run).',
  })
  @IsIn(RUN_ACTIONS)
  action!: RunAction;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Why: recorded with the control and shown with the run.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
