import { IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A kit run began; its deck-collection job is created in the same transaction. */
export class KitRunStartedV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsUUID() runId!: string;
  @IsISO8601() startedAt!: string;
  @IsOptional() @IsUUID() deckId?: string;
  @IsOptional() @IsString() @MaxLength(500) sourcePath?: string;
  /** Parameters for the later stages, kept with the run. */
  @IsObject() params!: Record<string, unknown>;
}

export const KitRunStarted = defineEvent({ type: 'KitRunStarted', version: 1, context: 'run', payload: KitRunStartedV1 });
