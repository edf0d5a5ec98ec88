import { describe, expect, it } from '@jest/globals';
import { renderReport } from './report.js';
import { describeTally, floorRunsPerMinute, isTerminal, median, overheadPerTransitionMs, readRunsSettings, runsPerMinute, tally } from './runs-figures.js';

describe('readRunsSettings', () => {
  it('runs 100 at once on their own kits by default, 5 single runs, 10 minutes before giving up', () => {
    expect(readRunsSettings({}, [])).toEqual({ runs: 100, oneKit: false, singleRuns: 5, floorRepetitions: 11, concurrentDeadlineS: 600, singleDeadlineS: 180 });
  });

  it('reads the environment, and a flag wins over it', () => {
    expect(readRunsSettings({ BENCH_RUNS: '10', BENCH_RUNS_ONE_KIT: '1' }, []).runs).toBe(10);
    expect(readRunsSettings({ BENCH_RUNS: '10', BENCH_RUNS_ONE_KIT: '1' }, []).oneKit).toBe(true);
    expect(readRunsSettings({ BENCH_RUNS: '10' }, ['--runs=20', '--deadline-s=60']).runs).toBe(20);
    expect(readRunsSettings({}, ['--deadline-s=60', '--one-kit']).concurrentDeadlineS).toBe(60);
    expect(readRunsSettings({}, ['--one-kit']).oneKit).toBe(true);
  });

  it('names the setting that is malformed or unknown', () => {
    expect(() => readRunsSettings({ BENCH_RUNS: 'ten' }, [])).toThrow(/BENCH_RUNS must be an integer ≥ 1, got "ten"/);
    expect(() => readRunsSettings({}, ['--runs=0'])).toThrow(/--runs must be an integer ≥ 1/);
    expect(() => readRunsSettings({}, ['--run=5'])).toThrow(/unknown flag --run/);
    expect(() => readRunsSettings({}, ['5'])).toThrow(/unknown argument 5/);
  });
});

describe('median', () => {
  it('takes the middle sample, or the mean of the middle two', () => {
    expect(median([16_000, 3, 15_000, 15_500, 14_000])).toBe(15_000);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is not a number for no samples', () => {
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('overhead and throughput', () => {
  it('spreads what a run takes beyond its computation over the stage transitions', () => {
    // A 15.9 s run over a 0.7 s floor: 15.2 s over 4 transitions.
    expect(overheadPerTransitionMs(15_900, 700)).toBeCloseTo(3_800);
    expect(overheadPerTransitionMs(1_100, 700, 5)).toBeCloseTo(80);
    expect(Number.isNaN(overheadPerTransitionMs(Number.NaN, 700))).toBe(true);
  });

  it('counts the floor throughput as every core computing runs back to back', () => {
    // 2 cores, 0.5 s per run: 240 runs a minute.
    expect(floorRunsPerMinute(2, 500)).toBeCloseTo(240);
    expect(Number.isNaN(floorRunsPerMinute(2, 0))).toBe(true);
  });

  it('counts only successful runs per minute of wall time', () => {
    expect(runsPerMinute(20, 180_000)).toBeCloseTo(6.667, 3);
    expect(runsPerMinute(0, 600_000)).toBe(0);
  });
});

describe('outcomes', () => {
  it('tallies every outcome and describes the ones that occurred', () => {
    const counts = tally(['SUCCESS', 'TIMEOUT', 'SUCCESS', 'NOT_STARTED', 'UNFINISHED']);
    expect(counts).toEqual({ SUCCESS: 2, FAILED: 0, TIMEOUT: 1, CANCELLED: 0, UNFINISHED: 1, NOT_STARTED: 1 });
    expect(describeTally(counts)).toBe('2 SUCCESS, 0 FAILED, 1 TIMEOUT, 0 CANCELLED, 1 UNFINISHED, 1 NOT_STARTED');
    expect(describeTally(tally(['SUCCESS']))).toBe('1 SUCCESS, 0 FAILED, 0 TIMEOUT, 0 CANCELLED');
  });

  it('takes a run as ended only at SUCCESS, FAILED, TIMEOUT or CANCELLED', () => {
    expect(['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'].every((s) => isTerminal(s))).toBe(true);
    expect(isTerminal('RUNNING')).toBe(false);
    expect(isTerminal('PENDING')).toBe(false);
    expect(isTerminal(undefined)).toBe(false);
  });
});

describe('a memory row against its target', () => {
  it('prints the target in MiB and the verdict', () => {
    const text = renderReport(
      ['header'],
      [{ title: '(d) services', rows: [{ label: 'doe peak RSS', figure: '1536 MiB', value: 1536, target: { max: 1024 } }] }],
    );
    expect(text).toMatch(/doe peak RSS\s+1536 MiB\s+≤ 1024 MiB\s+MISS/);
  });
});
