// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsObject, IsOptional, IsUUID, Min, ValidateNested } from 'class-validator';
import { ChainContextV1 } from '../job/chain-context.js';
import { defineEvent } from '../define-event.js';
import { MlStepRefV1 } from '../job/job-payloads.js';

/** An ML step was queued (PENDING). */
export class MlStepRequestedV1 extends MlStepRefV1 {
  @IsISO8601() requestedAt!: string;
  @IsInt() @Min(1) timeoutMs!: number;
  /** The DOE dataset the ML job works on. */
  @IsUUID() datasetId!: string;
  @IsInt() @Min(1) stepOrder!: number;
  /** On the first step's request: the run parameters and lineage the job works from. */
  @IsOptional() @ValidateNested() @Type(() => ChainContextV1) chain?: ChainContextV1;
  /** On the first step's request: the ML parameters with their defaults filled in. */
  @IsOptional() @IsObject() ml?: Record<string, unknown>;
}

export const MlStepRequested = defineEvent({
  type: 'MlStepRequested',
  version: 1,
  context: 'ml',
  payload: MlStepRequestedV1,
  lifecycle: { jobType: 'ml', status: 'PENDING', task: (p) => p.step },
});
