// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, IsUUID, ValidateNested } from 'class-validator';
import { ChainContextV1 } from '../job/chain-context.js';
import { defineEvent } from '../define-event.js';
import { JobRequestedV1 } from '../job/job-payloads.js';

/** An optimisation job was created for a tested model (PENDING). */
export class OptimizeRequestedV1 extends JobRequestedV1 {
  @IsUUID() modelId!: string;
  /** Goal (minimise, maximise, target) and search settings. */
  @IsObject() goal!: Record<string, unknown>;
  @ValidateNested() @Type(() => ChainContextV1) chain!: ChainContextV1;
}

export const OptimizeRequested = defineEvent({
  type: 'OptimizeRequested',
  version: 1,
  context: 'optimize',
  payload: OptimizeRequestedV1,
  lifecycle: { jobType: 'optimize', status: 'PENDING', task: 'optimize' },
});
