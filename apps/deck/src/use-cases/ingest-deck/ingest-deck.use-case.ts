import { Injectable } from '@nestjs/common';
import type { IngestDeckResult, IngestDeckV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { UploadStore } from '../../uploads/upload-store.js';
import { commandMetadata } from '../command-metadata.js';
import { DeckIngestion } from './deck-ingestion.js';

/** IngestDeck: an uploaded file becomes a stored, validated deck with its statistics. */
@Injectable()
export class IngestDeckUseCase {
  constructor(
    private readonly uploads: UploadStore,
    private readonly ingestion: DeckIngestion,
    private readonly events: EventStore,
  ) {}

  async execute(command: CommandMessage<IngestDeckV1>): Promise<IngestDeckResult> {
    const { payload } = command;
    const content = await this.uploads.read(payload.uploadKey);
    const deck = await this.ingestion.prepare({
      name: payload.name.trim(),
      format: payload.format,
      datasetType: payload.datasetType,
      content,
      source: `upload:${payload.uploadKey}`,
      groundTruth: payload.groundTruth,
      factors: payload.factors,
      responses: payload.responses,
    });
    await this.events.inTransaction((trx) => deck.store(trx, commandMetadata(command)));
    // The deck is stored: the upload has served its purpose (a failed delete only leaves garbage).
    await this.uploads.remove(payload.uploadKey).catch(() => undefined);
    return { deckId: deck.deckId, rowCount: deck.rowCount, factors: deck.factors, responses: deck.responses };
  }
}
