// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsObject, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { ChainContextV1 } from '../job/chain-context.js';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The design was generated and labelled (SUCCESS). */
export class DoeCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsString() @MaxLength(50) designType!: string;
  @IsInt() @Min(1) pointCount!: number;
  /** The generated, labelled dataset. */
  @IsUUID() datasetId!: string;
  /** Description of the generated data (`doe_step.data_info`). */
  @IsObject() dataInfo!: Record<string, unknown>;
  /** Run parameters and lineage for the ML stage. */
  @ValidateNested() @Type(() => ChainContextV1) chain!: ChainContextV1;
}

export const DoeCompleted = defineEvent({
  type: 'DoeCompleted',
  version: 1,
  context: 'doe',
  payload: DoeCompletedV1,
  lifecycle: { jobType: 'doe', status: 'SUCCESS', task: 'doe' },
});
