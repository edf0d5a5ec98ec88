import { IsInt, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { LotRowFieldsV1 } from './lot-row.fields.js';

/** A lot row changed; the event holds the row's whole new state, so a fold needs no earlier event. */
export class LotRowUpdatedV1 extends LotRowFieldsV1 {
  @IsUUID() rowId!: string;
  /** The row's version after the change. */
  @IsInt() @Min(2) version!: number;
}

export const LotRowUpdated = defineEvent({ type: 'LotRowUpdated', version: 1, context: 'lot-tracking', payload: LotRowUpdatedV1, subjectKey: (p) => p.rowId });
