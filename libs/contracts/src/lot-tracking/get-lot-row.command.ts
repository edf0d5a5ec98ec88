import { IsUUID } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { LotRowView } from './lot-row.fields.js';

/** One lot row, active or retired. */
export class GetLotRowV1 {
  @IsUUID('all', { message: 'rowId must be a UUID' }) rowId!: string;
}

export const GetLotRow = defineCommand<'GetLotRow', GetLotRowV1, LotRowView>({
  name: 'GetLotRow',
  context: 'lot-tracking',
  payload: GetLotRowV1,
});
