import { IsUUID } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { LotRowFieldsV1 } from './lot-row.fields.js';

/** A lot row was added (by hand or from a CSV import). */
export class LotRowAddedV1 extends LotRowFieldsV1 {
  @IsUUID() rowId!: string;
}

export const LotRowAdded = defineEvent({ type: 'LotRowAdded', version: 1, context: 'lot-tracking', payload: LotRowAddedV1, subjectKey: (p) => p.rowId });
