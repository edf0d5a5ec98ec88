/** The figures a run is held against; a miss is reported, never a failure. */
export const TARGETS = {
  /** Vista's single-event append rate ÷ the raw one-row-per-transaction INSERT rate. */
  vistaVsRawRowPerTx: { min: 0.8 },
  /** End-to-end events/s ÷ the lower raw ceiling (JetStream publish, Postgres multi-row INSERT). */
  endToEndVsCeiling: { min: 0.25 },
  /** p99 lag from append to read-model commit at the offered load, ms. */
  lagP99Ms: { max: 250 },
} as const;

/** The runs benchmark's targets (`npm run bench:runs`). */
export const RUN_TARGETS = {
  /** One run of the example deck, POST to optimize SUCCESS in the read model, ms. */
  singleRunMs: { max: 3_000 },
  /** One run's time beyond its stages' pure computation, per stage transition, ms. */
  overheadPerTransitionMs: { max: 100 },
  /** Runs per minute with N started at once ÷ the floor's runs per minute on this machine's cores. */
  concurrentVsFloor: { min: 0.6 },
  /** `/health/ready` of every service while N runs go at once: the 99th percentile of the answers, ms. */
  readinessP99Ms: { max: 100 },
  /** Peak RSS of each service process, MiB. */
  serviceRssMiB: { max: 1_024 },
} as const;
