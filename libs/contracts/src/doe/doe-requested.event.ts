// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, IsUUID, ValidateNested } from 'class-validator';
import { ChainContextV1 } from '../job/chain-context.js';
import { defineEvent } from '../define-event.js';
import { JobRequestedV1 } from '../job/job-payloads.js';

/** A DOE job was created for a collected deck (PENDING). */
export class DoeRequestedV1 extends JobRequestedV1 {
  @IsUUID() deckId!: string;
  /** Design parameters of the run (design type, point count, labelling). */
  @IsObject() design!: Record<string, unknown>;
  @ValidateNested() @Type(() => ChainContextV1) chain!: ChainContextV1;
}

export const DoeRequested = defineEvent({
  type: 'DoeRequested',
  version: 1,
  context: 'doe',
  payload: DoeRequestedV1,
  lifecycle: { jobType: 'doe', status: 'PENDING', task: 'doe' },
});
