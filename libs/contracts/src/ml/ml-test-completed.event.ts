// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { ChainContextV1 } from '../job/chain-context.js';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The model was tested on held-out data; the optimiser may start. */
export class MlTestCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsUUID() modelId!: string;
  @IsNumber() rmse!: number;
  @IsNumber() mae!: number;
  @IsNumber() r2!: number;
  @IsString() @MaxLength(50) algorithm!: string;
  @IsInt() @Min(1) testRows!: number;
  /** `holdout` or `kfold`, with per-fold metrics for k-fold. */
  @IsOptional() @IsObject() validation?: Record<string, unknown>;
  /** Run parameters and lineage for the optimiser. */
  @ValidateNested() @Type(() => ChainContextV1) chain!: ChainContextV1;
}

export const MlTestCompleted = defineEvent({
  type: 'MlTestCompleted',
  version: 1,
  context: 'ml',
  payload: MlTestCompletedV1,
  lifecycle: { jobType: 'ml', status: 'SUCCESS', task: 'test' },
});
