import { IsOptional, IsString, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Replays the whole events stream into fresh read-model tables and swaps them in. */
export class RebuildReadModelV1 {
  /** Why the rebuild was asked for; written to the projector's log. */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export interface RebuildReadModelResult {
  /** The schema the new tables were built in before they were swapped in. */
  readonly schema: string;
  /** Events folded into the new tables. */
  readonly events: number;
  readonly durationMs: number;
}

export const RebuildReadModel = defineCommand<'RebuildReadModel', RebuildReadModelV1, RebuildReadModelResult>({
  name: 'RebuildReadModel',
  context: 'projector',
  payload: RebuildReadModelV1,
  access: { users: ['admin'], services: true },
});
