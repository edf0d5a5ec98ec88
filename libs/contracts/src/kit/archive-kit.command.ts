import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { IsInt, Max, Min } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { KitDefinitionResult } from './create-kit.command.js';

/** Archives a kit created as a named task. */
export class ArchiveKitV1 {
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
}

export const ArchiveKit = defineCommand<'ArchiveKit', ArchiveKitV1, KitDefinitionResult>({
  name: 'ArchiveKit',
  context: 'deck',
  payload: ArchiveKitV1,
  access: { users: PIPELINE_ROLES.operate },
});
