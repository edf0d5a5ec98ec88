import { parentPort, workerData } from 'node:worker_threads';
import { computeStatistics } from '../domain/deck-statistics.js';
import { parseDeck, type ParseDeckInput } from '../domain/parse-deck.js';
import { DeckValidationError } from '../domain/deck-validation.error.js';

// Parsing and statistics of a large deck take seconds: they run here, off the service's event loop.
try {
  const table = parseDeck(workerData as ParseDeckInput);
  const statistics = computeStatistics(table);
  parentPort!.postMessage({
    ok: true,
    parsed: {
      columns: table.columns,
      factors: table.factors,
      responses: table.responses,
      rowCount: table.rows.length,
      rowsJson: JSON.stringify(table.rows),
      statistics,
    },
  });
} catch (error) {
  if (error instanceof DeckValidationError) {
    parentPort!.postMessage({ ok: false, invalid: true, message: error.message, issues: error.issues });
  } else {
    parentPort!.postMessage({ ok: false, invalid: false, message: (error as Error)?.message ?? String(error) });
  }
}
