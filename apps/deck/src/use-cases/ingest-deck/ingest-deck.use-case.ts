import { Injectable } from '@nestjs/common';
import type { IngestDeckResult, IngestDeckV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { UploadStore } from '../../uploads/upload-store.js';
import { commandMetadata } from '../command-metadata.js';
import { IdempotentCommands } from '../idempotent-commands.js';
import { DeckIngestion } from './deck-ingestion.js';

/** IngestDeck: an uploaded file becomes a stored, validated deck with its statistics. */
@Injectable()
export class IngestDeckUseCase {
  constructor(
    private readonly uploads: UploadStore,
    private readonly ingestion: DeckIngestion,
    private readonly events: EventStore,
    private readonly idempotent: IdempotentCommands,
  ) {}

  async execute(command: CommandMessage<IngestDeckV1>): Promise<IngestDeckResult> {
    const { payload } = command;
    const { result } = await this.idempotent.execute(command, 'IngestDeck', async () => {
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
      const metadata = commandMetadata(command);
      return async (trx) => {
        await (trx ? deck.store(trx, metadata) : this.events.inTransaction((own) => deck.store(own, metadata)));
        return { deckId: deck.deckId, rowCount: deck.rowCount, factors: deck.factors, responses: deck.responses };
      };
    });
    // The deck is stored (now or by the key's first request): the upload has served its purpose
    // (a failed delete only leaves garbage).
    await this.uploads.remove(payload.uploadKey).catch(() => undefined);
    return result;
  }
}
