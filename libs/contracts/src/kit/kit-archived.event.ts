import { IsInt, IsISO8601, Max, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { KitDefinitionV1 } from './kit-definition.js';

/** A kit was archived: hidden from default lists, readable by id, its runs and history kept. */
export class KitArchivedV1 extends KitDefinitionV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsISO8601() archivedAt!: string;
}

export const KitArchived = defineEvent({ type: 'KitArchived', version: 1, context: 'run', payload: KitArchivedV1 });
