/**
 * A table handed between stages through the artifacts bucket: a collected deck (`decks/<deckId>.json`)
 * or a labelled DOE design (`datasets/<datasetId>.json`). Cells are in `columns` order; `null` is missing.
 */
export interface TableArtifact {
  readonly columns: string[];
  readonly factors: string[];
  readonly responses: string[];
  readonly rows: (number | null)[][];
}
