import { Injectable } from '@nestjs/common';
import { type DeckProfileResult, ForbiddenError, type KitDefinitionResult, NotFoundError } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { type DeckProfileState, foldDeck, foldKit, type KitDefinitionState, mayChange } from '../domain/resource-streams.js';
import { KitIdRepository } from '../repositories/kit-id.repository.js';

export const deckStream = (deckId: string) => `deck-${deckId}`;
export const kitStream = (kitId: number) => `kit-${kitId}`;

/**
 * Loads a deck's or a kit's stream and checks the actor may change it — its owner or an admin — again
 * here, the gateway not being the only line of defence.
 */
@Injectable()
export class ResourceStreams {
  constructor(
    private readonly events: EventStore,
    private readonly kitIds: KitIdRepository,
  ) {}

  async deckToChange(command: CommandMessage<unknown>, deckId: string): Promise<DeckProfileState> {
    const deck = foldDeck(deckId, await this.events.readStream(deckStream(deckId)));
    if (!deck) throw new NotFoundError(`deck ${deckId} does not exist`);
    if (!mayChange(command.actor, command.roles, deck.owner)) throw new ForbiddenError(`deck ${deckId} belongs to another user`);
    return deck;
  }

  async kitToChange(command: CommandMessage<unknown>, kitId: number): Promise<KitDefinitionState> {
    const events = await this.events.readStream(kitStream(kitId));
    // A kit started by id before anyone named it belongs to who started its first run.
    const startedBy = events[0]?.type === 'KitCreated' ? undefined : await this.kitIds.firstStarter(kitId);
    const kit = foldKit(kitId, events, startedBy);
    if (!kit) throw new NotFoundError(`kit ${kitId} does not exist`);
    if (!mayChange(command.actor, command.roles, kit.owner)) throw new ForbiddenError(`kit ${kitId} belongs to another user`);
    return kit;
  }
}

export const deckResult = (d: Omit<DeckProfileState, 'owner' | 'version'>): DeckProfileResult => ({
  deckId: d.deckId,
  name: d.name,
  description: d.description,
  datasetType: d.datasetType,
  groundTruth: d.groundTruth,
  archived: d.archived,
});

export const kitResult = (k: Omit<KitDefinitionState, 'owner' | 'version'>): KitDefinitionResult => ({
  kitId: k.kitId,
  name: k.name,
  description: k.description,
  defaultParams: k.defaultParams,
  projectId: k.projectId,
  archived: k.archived,
});
