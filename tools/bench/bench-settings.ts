/** What one run measures and for how long; every value has a default, read once at start. */
export interface BenchSettings {
  /** Length of each closed-loop phase of (a) and (b). */
  readonly phaseMs: number;
  /** Concurrent writers (and clients) of the concurrent phases. */
  readonly concurrency: number;
  /** Publishes in flight in the JetStream ceiling. */
  readonly publishWindow: number;
  /** Rows per statement in the multi-row INSERT ceiling. */
  readonly multiRowBatch: number;
  /** Events of the end-to-end run; 0 sizes it from the measured append rate (about 8 s of appends). */
  readonly endToEndEvents: number;
  /** Events of the backlog run (appended first, then relayed and folded). */
  readonly backlogEvents: number;
  /** Offered load and duration of the lag phase. */
  readonly lagRate: number;
  readonly lagMs: number;
  /** Passed to the projector when set (else its own default). */
  readonly projectorBatchSize?: number;
  /** When set, the projector runs with `--cpu-prof` and writes its profile here. */
  readonly projectorProfileDir?: string;
}

/** A bad BENCH_* value; the message names it. */
export class BenchSettingsError extends Error {
  override readonly name = 'BenchSettingsError';
}

export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new BenchSettingsError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return value;
  };
  const batch = env.PROJECTOR_BATCH_SIZE ? int('PROJECTOR_BATCH_SIZE', 500, 1) : undefined;
  return {
    phaseMs: int('BENCH_PHASE_SECONDS', 5, 1) * 1000,
    concurrency: int('BENCH_CONCURRENCY', 16, 1),
    publishWindow: int('BENCH_PUBLISH_WINDOW', 256, 1),
    multiRowBatch: int('BENCH_MULTI_ROW_BATCH', 500, 1),
    endToEndEvents: int('BENCH_E2E_EVENTS', 0, 0),
    backlogEvents: int('BENCH_BACKLOG_EVENTS', 24_000, 1),
    lagRate: int('BENCH_LAG_RATE', 2_000, 1),
    lagMs: int('BENCH_LAG_SECONDS', 10, 1) * 1000,
    ...(batch !== undefined ? { projectorBatchSize: batch } : {}),
    ...(env.BENCH_CPU_PROF_DIR ? { projectorProfileDir: env.BENCH_CPU_PROF_DIR } : {}),
  };
}
