import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A user asked to go on with a stopped or failed run: the stage whose job ended badly starts a new attempt. */
export class KitRunRetriedV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsUUID() runId!: string;
  @IsISO8601() retriedAt!: string;
  @IsOptional() @IsString() @MaxLength(4000) reason?: string;
}

export const KitRunRetried = defineEvent({ type: 'KitRunRetried', version: 1, context: 'run', payload: KitRunRetriedV1 });
