import { Injectable } from '@nestjs/common';
import type { DeckProfileResult, UpdateDeckV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { withoutNulls } from '../../domain/resource-streams.js';
import { commandMetadata } from '../command-metadata.js';
import { deckResult, deckStream, ResourceStreams } from '../resource-streams.js';

/** UpdateDeck: a new profile (name, description, type, ground truth) as DeckUpdated; the stored table is untouched. */
@Injectable()
export class UpdateDeckUseCase {
  constructor(
    private readonly streams: ResourceStreams,
    private readonly events: EventStore,
  ) {}

  async execute(command: CommandMessage<UpdateDeckV1>): Promise<DeckProfileResult> {
    const { payload } = command;
    const deck = await this.streams.deckToChange(command, payload.deckId);
    const next = {
      ...deck,
      name: payload.name?.trim() ?? deck.name,
      description: payload.description === undefined ? deck.description : payload.description,
      datasetType: payload.datasetType ?? deck.datasetType,
      groundTruth: payload.groundTruth === undefined ? deck.groundTruth : payload.groundTruth,
    };
    const data = {
      deckId: deck.deckId,
      name: next.name,
      datasetType: next.datasetType,
      ...withoutNulls({ description: next.description, groundTruth: next.groundTruth }),
      updatedAt: new Date().toISOString(),
    };
    // At the version read: a concurrent change is a conflict (409), never a silent overwrite.
    await this.events.append(
      { streamId: deckStream(deck.deckId), expectedVersion: deck.version, events: [{ type: 'DeckUpdated', data }] },
      commandMetadata(command),
    );
    return deckResult(next);
  }
}
