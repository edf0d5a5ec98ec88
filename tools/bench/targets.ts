/** The figures a run is held against; a miss is reported, never a failure. */
export const TARGETS = {
  /** Vista's single-event append rate ÷ the raw one-row-per-transaction INSERT rate. */
  vistaVsRawRowPerTx: { min: 0.8 },
  /** End-to-end events/s ÷ the lower raw ceiling (JetStream publish, Postgres multi-row INSERT). */
  endToEndVsCeiling: { min: 0.25 },
  /** p99 lag from append to read-model commit at the offered load, ms. */
  lagP99Ms: { max: 250 },
} as const;
