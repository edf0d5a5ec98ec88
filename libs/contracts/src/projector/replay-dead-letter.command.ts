import { IsUUID } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Publishes a dead-lettered message again on its original subject (after the cause was fixed). */
export class ReplayDeadLetterV1 {
  @IsUUID() id!: string;
}

export interface ReplayDeadLetterResult {
  readonly id: string;
  readonly subject: string;
  /** The stream sequence the replayed copy was stored at. */
  readonly sequence: number;
  /** Times the message has been replayed, this one included. */
  readonly replays: number;
}

export const ReplayDeadLetter = defineCommand<'ReplayDeadLetter', ReplayDeadLetterV1, ReplayDeadLetterResult>({
  name: 'ReplayDeadLetter',
  context: 'projector',
  payload: ReplayDeadLetterV1,
  access: { users: ['admin'] },
});
