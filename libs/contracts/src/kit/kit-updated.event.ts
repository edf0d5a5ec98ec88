import { IsInt, IsISO8601, Max, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { KitDefinitionV1 } from './kit-definition.js';

/** A kit's definition changed; the event carries the whole definition after the change. */
export class KitUpdatedV1 extends KitDefinitionV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsISO8601() updatedAt!: string;
}

export const KitUpdated = defineEvent({ type: 'KitUpdated', version: 1, context: 'run', payload: KitUpdatedV1 });
