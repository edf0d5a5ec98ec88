import { IsInt, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { IsBusinessDate } from './lot-batch.view.js';

/** An attempt failed (or was found abandoned); the date's results stay as they were. */
export class LotBatchFailedV1 {
  @IsUUID() attemptId!: string;
  @IsBusinessDate() businessDate!: string;
  @IsString() @MaxLength(2000) reason!: string;
  @IsInt() @Min(0) predictedRows!: number;
}

export const LotBatchFailed = defineEvent({
  type: 'LotBatchFailed',
  version: 1,
  context: 'lot-tracking',
  payload: LotBatchFailedV1,
  subjectKey: (p) => p.businessDate,
});
