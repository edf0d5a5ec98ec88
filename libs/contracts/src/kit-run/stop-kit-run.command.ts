import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Stops a kit run: its running or pending job ends CANCELLED and the chain stops. */
export class StopKitRunV1 {
  @IsUUID() runId!: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export interface StopKitRunResult {
  readonly runId: string;
  readonly cancelledJobIds: string[];
}

export const StopKitRun = defineCommand<'StopKitRun', StopKitRunV1, StopKitRunResult>({
  name: 'StopKitRun',
  context: 'deck',
  payload: StopKitRunV1,
});
