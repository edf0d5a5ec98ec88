import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { IsUUID } from 'class-validator';
import { defineCommand } from '../define-command.js';
import type { DeckProfileResult } from './update-deck.command.js';

/** Archives a deck (the gateway first refuses while a running run uses it). */
export class ArchiveDeckV1 {
  @IsUUID() deckId!: string;
}

export const ArchiveDeck = defineCommand<'ArchiveDeck', ArchiveDeckV1, DeckProfileResult>({
  name: 'ArchiveDeck',
  context: 'deck',
  payload: ArchiveDeckV1,
  access: { users: PIPELINE_ROLES.operate },
});
