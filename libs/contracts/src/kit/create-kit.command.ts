import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { KitRunParamsV1 } from '../run-params/kit-run-params.js';
import { defineCommand } from '../define-command.js';
import { CommandIdempotencyV1 } from '../idempotency/command-idempotency.js';

/** Creates a kit as a named task; the deck service (which owns kits and their runs) gives it its id. */
export class CreateKitV1 {
  @IsString() @MaxLength(200) @Matches(/\S/) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  /** Checked like a run's parameters. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => KitRunParamsV1) defaultParams?: KitRunParamsV1;
  @IsOptional() @IsUUID() projectId?: string;
  /** The request's Idempotency-Key: the command runs at most once per key and a repeat gets the first result. */
  @IsOptional() @ValidateNested() @Type(() => CommandIdempotencyV1) idempotency?: CommandIdempotencyV1;
}

/** A kit's definition as it stands after a command. */
export interface KitDefinitionResult {
  readonly kitId: number;
  readonly name: string;
  readonly description: string | null;
  readonly defaultParams: Record<string, unknown>;
  readonly projectId: string | null;
  readonly archived: boolean;
}

export const CreateKit = defineCommand<'CreateKit', CreateKitV1, KitDefinitionResult>({
  name: 'CreateKit',
  context: 'deck',
  payload: CreateKitV1,
  access: { users: PIPELINE_ROLES.operate },
});
