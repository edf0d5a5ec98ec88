import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { CommandIdempotencyV1 } from '../idempotency/command-idempotency.js';

/** Retries a run that failed, timed out or was stopped: its failed or cancelled stage starts a new attempt. */
export class RetryKitRunV1 {
  @IsUUID() runId!: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  /** The request's Idempotency-Key: the command runs at most once per key and a repeat gets the first result. */
  @IsOptional() @ValidateNested() @Type(() => CommandIdempotencyV1) idempotency?: CommandIdempotencyV1;
}

export interface RetryKitRunResult {
  readonly runId: string;
  readonly kitId: number;
}

export const RetryKitRun = defineCommand<'RetryKitRun', RetryKitRunV1, RetryKitRunResult>({
  name: 'RetryKitRun',
  context: 'deck',
  payload: RetryKitRunV1,
  access: { users: PIPELINE_ROLES.operate },
});
