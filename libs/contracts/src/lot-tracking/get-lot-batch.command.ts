import { IsUUID } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { LotBatchView } from './lot-batch.view.js';

/** One batch attempt, with its progress while it runs. */
export class GetLotBatchV1 {
  @IsUUID('all', { message: 'attemptId must be a UUID' }) attemptId!: string;
}

export const GetLotBatch = defineCommand<'GetLotBatch', GetLotBatchV1, LotBatchView>({
  name: 'GetLotBatch',
  context: 'lot-tracking',
  payload: GetLotBatchV1,
});
