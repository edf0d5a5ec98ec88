import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ExportDeckResult, type ExportDeckV1, NotFoundError } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { DeckRepository } from '../../repositories/deck.repository.js';
import { UploadStore } from '../../uploads/upload-store.js';

/**
 * ExportDeck: the stored table as CSV or JSON, put in the uploads bucket (a deck outgrows a NATS
 * message) for the gateway to stream and delete. Who may read the deck is the gateway's check.
 */
@Injectable()
export class ExportDeckUseCase {
  constructor(
    private readonly decks: DeckRepository,
    private readonly uploads: UploadStore,
  ) {}

  async execute(command: CommandMessage<ExportDeckV1>): Promise<ExportDeckResult> {
    const { deckId, format } = command.payload;
    const table = await this.decks.table(deckId);
    if (!table) throw new NotFoundError(`deck ${deckId} does not exist`);
    const body = format === 'csv' ? toCsv(table.columns, table.rows) : JSON.stringify(table);
    const objectKey = `export-${deckId}-${randomUUID()}`;
    await this.uploads.put(objectKey, new TextEncoder().encode(body));
    const base = table.name.replace(/[^\w.-]+/g, '_').slice(0, 100) || deckId;
    return { objectKey, fileName: `${base}.${format}`, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json' };
  }
}

/** RFC 4180 CSV: a header of the column names, then one line per row; an empty cell is a missing value. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (number | null)[])[]): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(row.map((cell) => (cell === null ? '' : String(cell))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
