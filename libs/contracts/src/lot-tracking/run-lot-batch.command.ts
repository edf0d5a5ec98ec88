import { IsOptional } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { IsBusinessDate, type LotBatchView } from './lot-batch.view.js';

/** Runs the daily batch for a business date now (what the schedule and the `batch --date=` command run). */
export class RunLotBatchV1 {
  /** The business date; today (UTC) by default. */
  @IsOptional() @IsBusinessDate() businessDate?: string;
}

export const RunLotBatch = defineCommand<'RunLotBatch', RunLotBatchV1, LotBatchView>({
  name: 'RunLotBatch',
  context: 'lot-tracking',
  payload: RunLotBatchV1,
  access: { users: ['admin'], services: true },
});
