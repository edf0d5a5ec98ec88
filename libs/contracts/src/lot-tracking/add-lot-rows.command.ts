import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { defineCommand } from '../define-command.js';
import { LotRowFieldsV1, type LotRowView } from './lot-row.fields.js';

export const MAX_LOT_ROWS_PER_ADD = 5_000;

/** Adds lot rows, all or none: one bad or duplicate row refuses them all, each named. */
export class AddLotRowsV1 {
  @IsArray({ message: 'rows must be an array' })
  @ArrayMinSize(1, { message: 'rows must hold at least one row' })
  @ArrayMaxSize(MAX_LOT_ROWS_PER_ADD, { message: `rows must hold at most ${MAX_LOT_ROWS_PER_ADD} rows` })
  @ValidateNested({ each: true })
  @Type(() => LotRowFieldsV1)
  rows!: LotRowFieldsV1[];
}

export interface AddLotRowsResult {
  readonly added: number;
  readonly rows: LotRowView[];
}

export const AddLotRows = defineCommand<'AddLotRows', AddLotRowsV1, AddLotRowsResult>({
  name: 'AddLotRows',
  context: 'lot-tracking',
  payload: AddLotRowsV1,
  access: { users: PIPELINE_ROLES.operate },
});
