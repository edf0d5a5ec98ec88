import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { IsBusinessDate, type LotBatchTrigger } from './lot-batch.view.js';

/** A rerun found the same inputs (digest) as the date's published results: nothing was predicted or changed. */
export class LotBatchUnchangedV1 {
  @IsUUID() attemptId!: string;
  @IsBusinessDate() businessDate!: string;
  @IsIn(['schedule', 'manual', 'api']) trigger!: LotBatchTrigger;
  @IsString() @Length(64, 64) digest!: string;
  /** The attempt whose results stay. */
  @IsUUID() currentAttemptId!: string;
}

export const LotBatchUnchanged = defineEvent({
  type: 'LotBatchUnchanged',
  version: 1,
  context: 'lot-tracking',
  payload: LotBatchUnchangedV1,
  subjectKey: (p) => p.businessDate,
});
