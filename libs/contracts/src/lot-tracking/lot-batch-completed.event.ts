import { IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { IsBusinessDate } from './lot-batch.view.js';

/** An attempt predicted every row and its results became the business date's results, all at once. */
export class LotBatchCompletedV1 {
  @IsUUID() attemptId!: string;
  @IsBusinessDate() businessDate!: string;
  @IsString() @Length(64, 64) digest!: string;
  @IsInt() @Min(0) predictedRows!: number;
  @IsInt() @Min(0) skippedRows!: number;
  /** Set-up model → the registry model and version used. */
  @IsObject() models!: Record<string, { registryModelId: string; modelVersion: number }>;
  /** The attempt whose results it replaced, if any. */
  @IsOptional() @IsUUID() replacedAttemptId?: string;
}

export const LotBatchCompleted = defineEvent({
  type: 'LotBatchCompleted',
  version: 1,
  context: 'lot-tracking',
  payload: LotBatchCompletedV1,
  subjectKey: (p) => p.businessDate,
});
