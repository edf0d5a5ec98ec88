/** Formats a deck can be uploaded in. */
export type DeckFormat = 'csv' | 'json';

export const DECK_FORMATS = ['csv', 'json'] as const satisfies readonly DeckFormat[];

/** Dataset kinds a deck can belong to (seed 001's dataset classification). */
export const DATASET_TYPES = ['Vector', 'Surf', 'Jetson'] as const;

export type DatasetType = (typeof DATASET_TYPES)[number];

/** A cell of a deck: a finite number, or `null` where the file left the cell empty. */
export type DeckCell = number | null;

/**
 * A validated deck: numeric factor and response columns.
 * Missing cells stay `null` rather than being dropped or imputed, because handling them is the ML
 * preprocessing step's job and it has to see where they are.
 */
export interface DeckTable {
  /** Column names in file order; factors and responses together. */
  columns: string[];
  /** Factor (input) columns, in file order. */
  factors: string[];
  /** Response (output) columns, in file order. */
  responses: string[];
  /** One array per data row, cells in `columns` order. */
  rows: DeckCell[][];
}

/** Bounds a deck must stay within. */
export const DECK_LIMITS = {
  maxColumns: 200,
  maxRows: 1_000_000,
  minRows: 2,
  /** Validation keeps collecting problems up to this many, then stops reading. */
  maxIssues: 20,
} as const;

export const isDatasetType = (value: unknown): value is DatasetType => typeof value === 'string' && (DATASET_TYPES as readonly string[]).includes(value);

export const isDeckFormat = (value: unknown): value is DeckFormat => typeof value === 'string' && (DECK_FORMATS as readonly string[]).includes(value);

/** The deck format a file name's extension implies (`.csv`, `.tsv`, `.txt` → csv; `.json` → json). */
export const deckFormatOf = (fileName: string): DeckFormat | undefined => {
  const extension = /\.([^./\\]+)$/.exec(fileName.trim())?.[1]?.toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'csv' || extension === 'tsv' || extension === 'txt') return 'csv';
  return undefined;
};
