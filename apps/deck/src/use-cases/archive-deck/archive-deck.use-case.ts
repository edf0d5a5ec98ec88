import { Injectable } from '@nestjs/common';
import { type ArchiveDeckV1, ConflictError, type DeckProfileResult } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { withoutNulls } from '../../domain/resource-streams.js';
import { commandMetadata } from '../command-metadata.js';
import { deckResult, deckStream, ResourceStreams } from '../resource-streams.js';

/**
 * ArchiveDeck: DeckArchived, with the profile it is archived with. Nothing is deleted: the table stays
 * stored and the deck readable by id. (The gateway refuses first while a running run uses the deck.)
 */
@Injectable()
export class ArchiveDeckUseCase {
  constructor(
    private readonly streams: ResourceStreams,
    private readonly events: EventStore,
  ) {}

  async execute(command: CommandMessage<ArchiveDeckV1>): Promise<DeckProfileResult> {
    const deck = await this.streams.deckToChange(command, command.payload.deckId);
    if (deck.archived) throw new ConflictError(`deck ${deck.deckId} is already archived`);
    const data = {
      deckId: deck.deckId,
      name: deck.name,
      datasetType: deck.datasetType,
      ...withoutNulls({ description: deck.description, groundTruth: deck.groundTruth }),
      archivedAt: new Date().toISOString(),
    };
    await this.events.append(
      { streamId: deckStream(deck.deckId), expectedVersion: deck.version, events: [{ type: 'DeckArchived', data }] },
      commandMetadata(command),
    );
    return deckResult({ ...deck, archived: true });
  }
}
