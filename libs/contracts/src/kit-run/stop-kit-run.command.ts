import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { CommandIdempotencyV1 } from '../idempotency/command-idempotency.js';

/** Stops a kit run: its running or pending job ends CANCELLED and the chain stops. */
export class StopKitRunV1 {
  @IsUUID() runId!: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  /** The request's Idempotency-Key: the command runs at most once per key and a repeat gets the first result. */
  @IsOptional() @ValidateNested() @Type(() => CommandIdempotencyV1) idempotency?: CommandIdempotencyV1;
}

export interface StopKitRunResult {
  readonly runId: string;
  readonly cancelledJobIds: string[];
}

export const StopKitRun = defineCommand<'StopKitRun', StopKitRunV1, StopKitRunResult>({
  name: 'StopKitRun',
  context: 'deck',
  payload: StopKitRunV1,
  access: { users: PIPELINE_ROLES.operate },
});
