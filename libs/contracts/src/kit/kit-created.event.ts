import { IsInt, IsISO8601, Max, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { KitDefinitionV1 } from './kit-definition.js';

/** A kit was created as a named task (before any run); its creator owns it. */
export class KitCreatedV1 extends KitDefinitionV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsISO8601() createdAt!: string;
}

export const KitCreated = defineEvent({ type: 'KitCreated', version: 1, context: 'run', payload: KitCreatedV1 });
