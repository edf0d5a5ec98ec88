import { workerTask } from '@vista/jobs/worker';
import { computeStatistics, type DeckStatistics } from '../domain/deck-statistics.js';
import { DeckValidationError } from '../domain/deck-validation.error.js';
import { parseDeck, type ParseDeckInput } from '../domain/parse-deck.js';

export interface ParsedDeck {
  readonly columns: string[];
  readonly factors: string[];
  readonly responses: string[];
  readonly rowCount: number;
  /** The rows as JSON, serialised in the worker so the event loop never holds a big stringify. */
  readonly rowsJson: string;
  readonly statistics: DeckStatistics;
}

/** A parsed deck, or why it is not one: the issues name the row and column. */
export type ParseDeckOutcome =
  | { readonly ok: true; readonly parsed: ParsedDeck }
  | { readonly ok: false; readonly message: string; readonly issues: readonly { row?: number; line?: number; column?: string; message: string }[] };

/** Parsing and statistics of a large deck take seconds: they run on the service's worker pool. */
export default workerTask<ParseDeckInput, never, ParseDeckOutcome>((input) => {
  try {
    const table = parseDeck(input);
    const statistics = computeStatistics(table);
    return {
      ok: true,
      parsed: {
        columns: table.columns,
        factors: table.factors,
        responses: table.responses,
        rowCount: table.rows.length,
        rowsJson: JSON.stringify(table.rows),
        statistics,
      },
    };
  } catch (error) {
    if (error instanceof DeckValidationError) return { ok: false, message: error.message, issues: error.issues };
    throw error;
  }
});
