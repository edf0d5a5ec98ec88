import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, IsObject } from 'class-validator';
import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { defineCommand } from '../define-command.js';
import { IsFactorMap, LOT_CODE, type LotRowView, MAX_WAFERS_PER_LOT } from './lot-row.fields.js';

/** The fields of a lot row a change may give (only those given change); its id and lot id stay. */
export class UpdateLotRowFieldsV1 {
  /** The version the change is based on; another's change in between answers 409. */
  @IsOptional() @IsInt({ message: 'expectedVersion must be an integer' }) @Min(1) expectedVersion?: number;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(64) @Matches(LOT_CODE, { message: 'product must be letters, digits, ".", "_" or "-"' }) product?: string;
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(LOT_CODE, { message: 'processStep must be letters, digits, ".", "_" or "-"' })
  processStep?: string;
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(LOT_CODE, { message: 'equipment must be letters, digits, ".", "_" or "-"' })
  equipment?: string;
  @IsOptional()
  @IsInt({ message: 'waferCount must be an integer' })
  @Min(1, { message: 'waferCount must be at least 1' })
  @Max(MAX_WAFERS_PER_LOT, { message: `waferCount must be at most ${MAX_WAFERS_PER_LOT}` })
  waferCount?: number;
  @IsOptional() @IsUUID('all', { message: 'setupModelId must be a UUID' }) setupModelId?: string;
  @IsOptional() @IsObject({ message: 'factors must be an object of factor name → number' }) @IsFactorMap() factors?: Record<string, number>;
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}

/** Changes an active lot row's fields. */
export class UpdateLotRowV1 extends UpdateLotRowFieldsV1 {
  @IsUUID('all', { message: 'rowId must be a UUID' }) rowId!: string;
}

export const UpdateLotRow = defineCommand<'UpdateLotRow', UpdateLotRowV1, LotRowView>({
  name: 'UpdateLotRow',
  context: 'lot-tracking',
  payload: UpdateLotRowV1,
  access: { users: PIPELINE_ROLES.operate },
});
