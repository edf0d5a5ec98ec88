import { performance } from 'node:perf_hooks';
import { cpuSecondsByName, cpuSecondsSince } from './process-stats.js';

/** A measured rate: how many items in how long. */
export interface Rate {
  readonly items: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** CPU time this process spent per item (user + system, µs), when measured. */
  readonly cpuMicrosPerItem?: number;
  /** CPU time all Postgres processes of the host spent per item (µs), when /proc tells. */
  readonly postgresCpuMicrosPerItem?: number;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface ClosedLoopOptions<W> {
  /** Shown in progress lines. */
  readonly label: string;
  /** One state per concurrent worker (a client, a stream and its version, …). */
  readonly workers: readonly W[];
  /** Stops issuing new operations after this long (operations in flight finish and count). */
  readonly durationMs: number;
  /** Or after this many items, whichever comes first. */
  readonly maxItems?: number;
  /** Untimed operations per worker first, so JIT and connection set-up stay out of the figure. */
  readonly warmupOps?: number;
  /** One operation; resolves with the number of items it did (rows, events, messages). */
  readonly op: (worker: W, index: number) => Promise<number>;
  /** Where progress lines go (default: stdout). */
  readonly progress?: (line: string) => void;
}

export const now = (): number => performance.now();

/**
 * Runs `op` back to back on every worker at once (closed loop: each worker issues its next
 * operation when the previous one finishes) and reports the aggregate rate, printing progress
 * about once a second.
 */
export async function runClosedLoop<W>(options: ClosedLoopOptions<W>): Promise<Rate & { latencies: Percentiles }> {
  const print = options.progress ?? progressLine;
  for (let i = 0; i < (options.warmupOps ?? 0); i++) {
    await Promise.all(options.workers.map((w, k) => options.op(w, i * options.workers.length + k)));
  }
  let items = 0;
  let issued = 0;
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const postgresBefore = cpuSecondsByName('postgres');
  const start = now();
  const deadline = start + options.durationMs;
  const limit = options.maxItems ?? Number.POSITIVE_INFINITY;
  const ticker = setInterval(() => {
    const seconds = (now() - start) / 1000;
    print(`${options.label}: ${seconds.toFixed(1)} s, ${fmtInt(items)} done, ${fmtInt(items / seconds)}/s`);
  }, 1_000);
  try {
    await Promise.all(
      options.workers.map(async (worker) => {
        while (now() < deadline && issued < limit) {
          const index = issued++;
          const t0 = now();
          // Not `items += await …`: that would read `items` before the await and lose other workers' counts.
          const done = await options.op(worker, index);
          items += done;
          latencies.push(now() - t0);
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  const seconds = (now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const postgresSeconds = cpuSecondsSince(postgresBefore, cpuSecondsByName('postgres'));
  const per = Math.max(1, items);
  return {
    items,
    seconds,
    perSecond: items / seconds,
    cpuMicrosPerItem: (cpu.user + cpu.system) / per,
    ...(postgresSeconds !== undefined ? { postgresCpuMicrosPerItem: (postgresSeconds * 1e6) / per } : {}),
    latencies: percentiles(latencies),
  };
}

/** p50/p90/p99/max of a list of samples (nearest-rank). */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { count: 0, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { count: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1]! };
}

export const rateOf = (items: number, ms: number): Rate => ({ items, seconds: ms / 1000, perSecond: ms > 0 ? items / (ms / 1000) : 0 });

export const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');

export const fmtMs = (n: number): string => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toString()) : '—');

export function progressLine(line: string): void {
  console.log(`  … ${line}`);
}
