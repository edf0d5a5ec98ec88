import { Worker } from 'node:worker_threads';
import { ValidationError, VistaError } from '@vista/contracts';
import type { DeckStatistics } from '../domain/deck-statistics.js';
import type { ParseDeckInput } from '../domain/parse-deck.js';

export interface ParsedDeck {
  readonly columns: string[];
  readonly factors: string[];
  readonly responses: string[];
  readonly rowCount: number;
  /** The rows as JSON, serialised in the worker so the event loop never holds a big stringify. */
  readonly rowsJson: string;
  readonly statistics: DeckStatistics;
}

type WorkerReply =
  | { ok: true; parsed: ParsedDeck }
  | { ok: false; invalid: boolean; message: string; issues?: { row?: number; line?: number; column?: string; message: string }[] };

/**
 * Parses and validates a deck in a worker thread. An invalid deck rejects with ValidationError whose
 * issues name the row and column; `signal` terminates the worker (stop or timeout).
 */
export function parseDeckInWorker(input: ParseDeckInput, signal?: AbortSignal): Promise<ParsedDeck> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(new URL('./parse-deck.worker.js', import.meta.url), { workerData: input });
    const onAbort = () => void worker.terminate().then(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: WorkerReply) => {
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (reply.ok) return resolve(reply.parsed);
      if (reply.invalid) {
        const issues = (reply.issues ?? []).map((i) => ({
          path:
            [i.row !== undefined ? `row ${i.row}` : undefined, i.column !== undefined ? `column ${i.column}` : undefined].filter(Boolean).join(', ') ||
            undefined,
          message: i.message,
        }));
        return reject(new ValidationError(reply.message, issues));
      }
      reject(new VistaError('internal', `parsing the deck failed: ${reply.message}`));
    });
    worker.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new VistaError('internal', `deck parser crashed: ${error.message}`, { cause: error }));
    });
  });
}
