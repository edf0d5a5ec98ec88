import { performance } from 'node:perf_hooks';
import { createRandom } from '@vista/modeling';

export const FACTORS = 10;

/** Each factor's range: different units on purpose, so the scaler matters. */
export const BOUNDS: [number, number][] = Array.from({ length: FACTORS }, (_, j) => [10 * j, 10 * j + 1 + j] as [number, number]);

/** Where the synthetic response peaks (inside the box). */
const PEAK = BOUNDS.map(([low, high], j) => low + (0.3 + 0.04 * j) * (high - low));

/** A smooth response with an interior maximum, curvature that differs per factor and one interaction. */
export function surface(x: readonly number[]): number {
  let y = 50;
  for (let j = 0; j < FACTORS; j++) {
    const [low, high] = BOUNDS[j] as [number, number];
    const u = ((x[j] as number) - (PEAK[j] as number)) / (high - low);
    y -= (2 + j) * u * u;
  }
  const u0 = ((x[0] as number) - (BOUNDS[0] as [number, number])[0]) / 1;
  const u1 = ((x[1] as number) - (BOUNDS[1] as [number, number])[0]) / 2;
  return y + 0.5 * Math.sin(3 * u0) * u1;
}

/** Seeded uniform rows in the box, with the surface plus Gaussian noise. */
export function syntheticRows(rows: number, noise: number, seed: number): { X: number[][]; y: number[] } {
  const random = createRandom(seed);
  const X = Array.from({ length: rows }, () => BOUNDS.map(([low, high]) => random.between(low, high)));
  return { X, y: X.map((x) => surface(x) + noise * random.normal()) };
}

/** Wall time of a synchronous call, in milliseconds. */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = fn();
  return { result, ms: performance.now() - started };
}

/** Peak heap seen so far: sampled after each step. */
export const heapPeak = { bytes: 0 };
export function sampleHeap(): void {
  heapPeak.bytes = Math.max(heapPeak.bytes, process.memoryUsage().heapUsed);
}

/** One progress line per phase step, on stderr (the report goes to stdout). */
export function progress(line: string): void {
  sampleHeap();
  console.error(`[bench:stages] ${line}`);
}

export const fmtSeconds = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
export const fmtRatio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');
