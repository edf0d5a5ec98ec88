// Pure arithmetic and settings of the runs benchmark (`npm run bench:runs`), kept apart so they are unit-tested.

/** How a run ended, as the read model tells (`read.runs.status`), or why it was never followed. */
export type RunOutcome = 'SUCCESS' | 'FAILED' | 'TIMEOUT' | 'CANCELLED' | 'UNFINISHED' | 'NOT_STARTED';

export const TERMINAL_STATUSES = ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;

export const isTerminal = (status: string | undefined): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status ?? '');

/**
 * Stage transitions a run goes through: one per stage job (deck, doe, ml, optimize). Each charges
 * the hand-off into its stage (the POST's command into deck; a completion event into the next
 * stage), its job's lifecycle and worker start-up, and — for optimize — the projection of the run's
 * end into the read model.
 */
export const STAGE_TRANSITIONS = 4;

export interface RunsSettings {
  /** Runs started at once in phase (c). */
  readonly runs: number;
  /** Also start `runs` runs at once on a single kit. */
  readonly oneKit: boolean;
  /** Sequential single runs in phase (b); the median is reported. */
  readonly singleRuns: number;
  /** In-process repetitions of each stage's computation in phase (a). */
  readonly floorRepetitions: number;
  /** Phase (c) gives up after this long and reports what finished. */
  readonly concurrentDeadlineS: number;
  /** A single run of phase (b) gives up after this long. */
  readonly singleDeadlineS: number;
}

const DEFAULTS: RunsSettings = { runs: 100, oneKit: false, singleRuns: 5, floorRepetitions: 11, concurrentDeadlineS: 600, singleDeadlineS: 180 };

/**
 * Settings from the environment (BENCH_RUNS, BENCH_RUNS_ONE_KIT, BENCH_SINGLE_RUNS, BENCH_FLOOR_REPS,
 * BENCH_RUNS_DEADLINE_S, BENCH_SINGLE_DEADLINE_S), overridden by flags (`--runs=N`, `--one-kit`,
 * `--single-runs=N`, `--floor-reps=N`, `--deadline-s=S`, `--single-deadline-s=S`). A malformed value is an error naming it.
 */
export function readRunsSettings(env: Record<string, string | undefined>, argv: readonly string[]): RunsSettings {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg} (flags: --runs=N --one-kit --single-runs=N --floor-reps=N --deadline-s=S --single-deadline-s=S)`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const known = new Set(['runs', 'one-kit', 'single-runs', 'floor-reps', 'deadline-s', 'single-deadline-s']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}`);
  const int = (flag: string, variable: string, fallback: number, min: number): number => {
    const raw = flags.get(flag) ?? env[variable];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${flags.has(flag) ? `--${flag}` : variable} must be an integer ≥ ${min}, got "${raw}"`);
    return value;
  };
  const oneKitRaw = flags.get('one-kit') ?? env.BENCH_RUNS_ONE_KIT;
  return {
    runs: int('runs', 'BENCH_RUNS', DEFAULTS.runs, 1),
    oneKit: oneKitRaw === undefined ? DEFAULTS.oneKit : ['1', 'true', 'yes'].includes(oneKitRaw.toLowerCase()),
    singleRuns: int('single-runs', 'BENCH_SINGLE_RUNS', DEFAULTS.singleRuns, 1),
    floorRepetitions: int('floor-reps', 'BENCH_FLOOR_REPS', DEFAULTS.floorRepetitions, 1),
    concurrentDeadlineS: int('deadline-s', 'BENCH_RUNS_DEADLINE_S', DEFAULTS.concurrentDeadlineS, 1),
    singleDeadlineS: int('single-deadline-s', 'BENCH_SINGLE_DEADLINE_S', DEFAULTS.singleDeadlineS, 1),
  };
}

/** The median of the samples (mean of the middle two for an even count); NaN for none. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What one run end to end costs beyond its stages' pure computation, per stage transition (ms). */
export const overheadPerTransitionMs = (endToEndMs: number, floorMs: number, transitions = STAGE_TRANSITIONS): number =>
  transitions > 0 ? (endToEndMs - floorMs) / transitions : Number.NaN;

/** Runs per minute the machine could finish if every core did nothing but the stages' computation. */
export const floorRunsPerMinute = (cores: number, floorMsPerRun: number): number => (floorMsPerRun > 0 ? (cores * 60_000) / floorMsPerRun : Number.NaN);

/** Finished runs per minute of wall time; runs that did not succeed do not count. */
export const runsPerMinute = (succeeded: number, wallMs: number): number => (wallMs > 0 ? (succeeded * 60_000) / wallMs : Number.NaN);

/** How many runs ended each way (every outcome present, zero when none). */
export function tally(outcomes: readonly RunOutcome[]): Record<RunOutcome, number> {
  const counts: Record<RunOutcome, number> = { SUCCESS: 0, FAILED: 0, TIMEOUT: 0, CANCELLED: 0, UNFINISHED: 0, NOT_STARTED: 0 };
  for (const outcome of outcomes) counts[outcome]++;
  return counts;
}

/**
 * `12 SUCCESS, 0 FAILED, 1 TIMEOUT, 0 CANCELLED`: the four ways a run ends, always; runs that never
 * ended (still going at the deadline, or whose POST was refused) only when there are any.
 */
export const describeTally = (counts: Record<RunOutcome, number>): string =>
  (Object.entries(counts) as [RunOutcome, number][])
    .filter(([outcome, n]) => n > 0 || (TERMINAL_STATUSES as readonly string[]).includes(outcome))
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');

export const fmtSeconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : '—');

export const fmtMib = (mib: number): string => (Number.isFinite(mib) ? `${mib.toFixed(0)} MiB` : '—');
