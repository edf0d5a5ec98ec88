import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { KitRunParamsV1 } from '../run-params/kit-run-params.js';
import { defineCommand } from '../define-command.js';
import type { KitDefinitionResult } from './create-kit.command.js';

/** Changes a kit's name, description, default run parameters or project (null clears the optional ones). */
export class UpdateKitV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsOptional() @IsString() @MaxLength(200) @Matches(/\S/) name?: string;
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsString() @MaxLength(2000) description?: string | null;
  /** Checked like a run's parameters. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => KitRunParamsV1) defaultParams?: KitRunParamsV1;
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsUUID() projectId?: string | null;
}

export const UpdateKit = defineCommand<'UpdateKit', UpdateKitV1, KitDefinitionResult>({
  name: 'UpdateKit',
  context: 'deck',
  payload: UpdateKitV1,
  access: { users: PIPELINE_ROLES.operate },
});
