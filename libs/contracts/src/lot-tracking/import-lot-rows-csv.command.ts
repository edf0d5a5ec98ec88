import { IsString, MaxLength, MinLength } from 'class-validator';
import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { defineCommand } from '../define-command.js';
import type { AddLotRowsResult } from './add-lot-rows.command.js';

export const MAX_LOT_CSV_BYTES = 4 * 1024 * 1024;

/**
 * Adds lot rows from CSV, all or none. Header: `lotId,product,processStep,equipment,waferCount,setupModelId`,
 * optionally `note`, then one column per factor named `factor.<name>` (empty cells are not given).
 * Every bad line is reported by its line number; nothing is added unless every line is good.
 */
export class ImportLotRowsCsvV1 {
  @IsString({ message: 'csv must be a string' })
  @MinLength(1, { message: 'csv is required' })
  @MaxLength(MAX_LOT_CSV_BYTES, { message: `csv must be at most ${MAX_LOT_CSV_BYTES} characters` })
  csv!: string;
}

export const ImportLotRowsCsv = defineCommand<'ImportLotRowsCsv', ImportLotRowsCsvV1, AddLotRowsResult>({
  name: 'ImportLotRowsCsv',
  context: 'lot-tracking',
  payload: ImportLotRowsCsvV1,
  access: { users: PIPELINE_ROLES.operate },
});
