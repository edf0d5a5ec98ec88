import { IsInt, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A lot row left the daily batch; it stays in the log and in listings of retired rows. */
export class LotRowRetiredV1 {
  @IsUUID() rowId!: string;
  @IsInt() @Min(2) version!: number;
  @IsString() @MaxLength(500) reason!: string;
}

export const LotRowRetired = defineEvent({ type: 'LotRowRetired', version: 1, context: 'lot-tracking', payload: LotRowRetiredV1, subjectKey: (p) => p.rowId });
