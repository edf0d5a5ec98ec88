import { IsInt, IsISO8601, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A user stopped the run: the stage working on it cancels its job, and no later stage starts until a retry. */
export class KitRunStoppedV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsUUID() runId!: string;
  @IsISO8601() stoppedAt!: string;
  @IsString() @MaxLength(4000) reason!: string;
}

export const KitRunStopped = defineEvent({ type: 'KitRunStopped', version: 1, context: 'run', payload: KitRunStoppedV1 });
