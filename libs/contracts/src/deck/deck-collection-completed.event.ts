import { IsArray, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The deck was collected, validated and stored (SUCCESS). */
export class DeckCollectionCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  /** The stored deck the next stages read. */
  @IsUUID() deckId!: string;
  @IsInt() @Min(1) rowCount!: number;
  @IsArray() @IsString({ each: true }) factors!: string[];
  @IsArray() @IsString({ each: true }) responses!: string[];
  /** The run's parameters, handed on to the next stages. */
  @IsOptional() @IsObject() params?: Record<string, unknown>;
}

export const DeckCollectionCompleted = defineEvent({
  type: 'DeckCollectionCompleted',
  version: 1,
  context: 'deck',
  payload: DeckCollectionCompletedV1,
  lifecycle: { jobType: 'deck', status: 'SUCCESS', task: 'deck_collection' },
});
