import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Retries a run that failed, timed out or was stopped: its failed or cancelled stage starts a new attempt. */
export class RetryKitRunV1 {
  @IsUUID() runId!: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export interface RetryKitRunResult {
  readonly runId: string;
  readonly kitId: number;
}

export const RetryKitRun = defineCommand<'RetryKitRun', RetryKitRunV1, RetryKitRunResult>({
  name: 'RetryKitRun',
  context: 'deck',
  payload: RetryKitRunV1,
});
