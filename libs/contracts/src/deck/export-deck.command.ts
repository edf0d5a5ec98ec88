import { IsIn, IsUUID } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Writes a stored deck's table to the uploads bucket (NATS messages are too small for a deck) for the caller to fetch. */
export class ExportDeckV1 {
  @IsUUID() deckId!: string;
  @IsIn(['csv', 'json']) format!: 'csv' | 'json';
}

export interface ExportDeckResult {
  /** Object in the uploads bucket holding the table; the caller deletes it once read. */
  readonly objectKey: string;
  readonly fileName: string;
  readonly contentType: string;
}

export const ExportDeck = defineCommand<'ExportDeck', ExportDeckV1, ExportDeckResult>({
  name: 'ExportDeck',
  context: 'deck',
  payload: ExportDeckV1,
  access: { users: 'any' },
});
