import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { IsBusinessDate, type LotBatchTrigger } from './lot-batch.view.js';

/** An attempt of the daily batch started predicting a business date's rows. */
export class LotBatchStartedV1 {
  @IsUUID() attemptId!: string;
  @IsBusinessDate() businessDate!: string;
  @IsIn(['schedule', 'manual', 'api']) trigger!: LotBatchTrigger;
  @IsString() @Length(64, 64) digest!: string;
  @IsInt() @Min(0) totalRows!: number;
  /** An earlier attempt of the same inputs that did not finish, whose stored results this one takes over. */
  @IsOptional() @IsUUID() resumedFromAttemptId?: string;
  /** Results taken over from it (not predicted again). */
  @IsOptional() @IsInt() @Min(0) carriedOverRows?: number;
}

export const LotBatchStarted = defineEvent({
  type: 'LotBatchStarted',
  version: 1,
  context: 'lot-tracking',
  payload: LotBatchStartedV1,
  subjectKey: (p) => p.businessDate,
});
