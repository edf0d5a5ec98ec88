import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import { IngestDeck, ValidationError } from '@vista/contracts';
import type { DeckSummary } from '../dto/deck.response.js';
import { DECK_FORMATS, type DeckFormat, type UploadDeckFields } from '../dto/upload-deck.request.js';
import { keyedCommand } from '../http/idempotency-key.js';
import { UploadStore } from '../uploads/upload.store.js';

export interface UploadedDeckFile {
  readonly originalname: string;
  readonly mimetype: string;
  readonly buffer: Buffer;
  readonly size: number;
}

export const UPLOAD_ROUTE = 'POST /api/v1/decks';

/** Parsing a large deck takes longer than an ordinary command. */
const INGEST_TIMEOUT_MS = 60_000;

/** Hands an uploaded deck to the deck service: the file through the object store, the rest as IngestDeck. */
@Injectable()
export class DeckUploadCommands {
  constructor(
    @Inject(CommandClient) private readonly client: CommandClient,
    @Inject(UploadStore) private readonly uploads: UploadStore,
  ) {}

  /** With an idempotency key, the deck service stores at most one deck for it and answers repeats with that deck. */
  async ingest(file: UploadedDeckFile | undefined, fields: UploadDeckFields, call: CommandCall, idempotencyKey?: string): Promise<DeckSummary> {
    if (!file) throw new ValidationError('a deck file is required in the "file" part', [{ path: 'file', message: 'file is required' }]);
    if (file.size === 0) throw new ValidationError('the deck file is empty', [{ path: 'file', message: 'file is empty' }]);
    const format = fields.format ?? formatOf(file.originalname);
    // The file goes into the digest by its hash: equal bytes and fields are the same upload.
    const fileSha256 = idempotencyKey === undefined ? undefined : createHash('sha256').update(file.buffer).digest('hex');
    const idempotency = keyedCommand(idempotencyKey, UPLOAD_ROUTE, { fileSha256, fields: { ...fields, format } });
    const uploadKey = randomUUID();
    await this.uploads.put(uploadKey, file.buffer, { filename: file.originalname, contentType: file.mimetype });
    try {
      const result = await this.client.execute(
        IngestDeck,
        {
          uploadKey,
          name: fields.name,
          format,
          datasetType: fields.datasetType,
          ...(fields.factors ? { factors: fields.factors } : {}),
          ...(fields.responses ? { responses: fields.responses } : {}),
          ...(fields.groundTruth ? { groundTruth: fields.groundTruth } : {}),
          ...(idempotency ? { idempotency } : {}),
        },
        { ...call, timeoutMs: INGEST_TIMEOUT_MS },
      );
      return {
        deckId: result.deckId,
        name: fields.name,
        datasetType: fields.datasetType,
        format,
        rowCount: result.rowCount,
        factors: result.factors,
        responses: result.responses,
      };
    } catch (error) {
      // The deck service deletes what it ingested; what it did not take must not linger.
      await this.uploads.delete(uploadKey);
      throw error;
    }
  }
}

function formatOf(filename: string): DeckFormat {
  const extension = extname(filename).slice(1).toLowerCase();
  if ((DECK_FORMATS as readonly string[]).includes(extension)) return extension as DeckFormat;
  throw new ValidationError(`format is needed: the file name "${filename}" does not end in .csv or .json`, [
    { path: 'format', message: 'format must be csv or json when the file name has no such extension' },
  ]);
}
