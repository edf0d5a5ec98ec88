import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { defineCommand } from '../define-command.js';
import { CommandIdempotencyV1 } from '../idempotency/command-idempotency.js';

/** Creates a project that kits can belong to. */
export class CreateProjectV1 {
  @IsString() @MaxLength(200) @Matches(/\S/) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  /** The request's Idempotency-Key: the command runs at most once per key and a repeat gets the first result. */
  @IsOptional() @ValidateNested() @Type(() => CommandIdempotencyV1) idempotency?: CommandIdempotencyV1;
}

export interface CreateProjectResult {
  readonly projectId: string;
  readonly name: string;
  readonly description: string | null;
}

export const CreateProject = defineCommand<'CreateProject', CreateProjectV1, CreateProjectResult>({
  name: 'CreateProject',
  context: 'deck',
  payload: CreateProjectV1,
  access: { users: PIPELINE_ROLES.operate },
});
