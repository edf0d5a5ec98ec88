import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { KitRunParamsV1 } from '../run-params/kit-run-params.js';
import { defineCommand } from '../define-command.js';
import { CommandIdempotencyV1 } from '../idempotency/command-idempotency.js';

/** Starts a kit run: its deck-collection job reads an uploaded deck or a file from the deck folder. */
export class StartKitRunV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  /** An uploaded deck (`POST /api/v1/decks`). Exactly one of deckId and sourcePath. */
  @ValidateIf((o: StartKitRunV1) => o.sourcePath === undefined) @IsUUID() deckId?: string;
  /** A CSV or JSON file relative to the deck service's configured folder. */
  @ValidateIf((o: StartKitRunV1) => o.deckId === undefined || o.sourcePath !== undefined)
  @IsString()
  @MaxLength(500)
  @Matches(/^(?!\/)(?!.*\.\.)[\w./-]+\.(csv|json)$/, { message: 'sourcePath must be a relative .csv or .json path without ".."' })
  sourcePath?: string;
  /** Parameters of the stages; checked before anything starts, kept with the run. */
  @IsOptional() @ValidateNested() @Type(() => KitRunParamsV1) params?: KitRunParamsV1;
  /** The request's Idempotency-Key: the command runs at most once per key and a repeat gets the first result. */
  @IsOptional() @ValidateNested() @Type(() => CommandIdempotencyV1) idempotency?: CommandIdempotencyV1;
}

export interface StartKitRunResult {
  readonly kitId: number;
  readonly runId: string;
  readonly jobId: string;
}

export const StartKitRun = defineCommand<'StartKitRun', StartKitRunV1, StartKitRunResult>({
  name: 'StartKitRun',
  context: 'deck',
  payload: StartKitRunV1,
  access: { users: PIPELINE_ROLES.operate },
});
