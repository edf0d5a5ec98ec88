import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { defineCommand } from '../define-command.js';
import type { LotRowView } from './lot-row.fields.js';

/** Retires a lot row: it leaves the daily batch from the next run; its history stays in the log. */
export class RetireLotRowV1 {
  @IsUUID('all', { message: 'rowId must be a UUID' }) rowId!: string;
  @IsString({ message: 'reason must be a string' }) @MinLength(1, { message: 'reason is required' }) @MaxLength(500) reason!: string;
}

export const RetireLotRow = defineCommand<'RetireLotRow', RetireLotRowV1, LotRowView>({
  name: 'RetireLotRow',
  context: 'lot-tracking',
  payload: RetireLotRowV1,
  access: { users: PIPELINE_ROLES.operate },
});
