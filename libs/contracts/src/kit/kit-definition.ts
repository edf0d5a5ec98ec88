import { IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** A kit as a named task: what KitCreated, KitUpdated and KitArchived each carry whole. */
export class KitDefinitionV1 {
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  /** Run parameters a run of the kit starts with unless it names its own. */
  @IsObject() defaultParams!: Record<string, unknown>;
  @IsOptional() @IsUUID() projectId?: string;
}
