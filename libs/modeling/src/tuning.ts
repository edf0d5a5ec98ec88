import { VistaError } from '@vista/contracts';
import { checkInteger, checkMatrix, checkVector } from './checks.js';
import { crossValidate, kFold } from './evaluation.js';
import { regressionMetrics } from './metrics.js';
import { type Algorithm, DEFAULT_HYPERPARAMETERS, type Hyperparameters, resolveHyperparameters } from './models/hyperparameters.js';
import { checkSeed, createRandom } from './random.js';

export interface TuningOptions {
  /** Cross-validation folds each candidate is scored on (the same folds for all). */
  folds: number;
  seed: number;
  /** Most candidates to try (default: the whole grid for ridge and polynomial, 6 for the random forest). */
  budget?: number;
}

export interface TuningTrial {
  hyperparameters: Hyperparameters;
  rmse: number;
  r2: number;
}

export interface TuningResult {
  best: Hyperparameters;
  bestScore: { rmse: number; r2: number };
  /** Every candidate scored, in the order tried. */
  trace: TuningTrial[];
  /** Candidates that could not be fitted on these rows (e.g. a degree with more terms than rows), with why. */
  skipped: { hyperparameters: Hyperparameters; reason: string }[];
}

const ALPHAS = [1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];

/** The candidates of each algorithm: its defaults first, so tuning never scores worse than them. */
export function candidateGrid(algorithm: Algorithm, rows: number): Hyperparameters[] {
  const grid: Hyperparameters[] = [];
  if (algorithm === 'ridge') for (const alpha of ALPHAS) grid.push({ alpha });
  if (algorithm === 'polynomial') for (const degree of [1, 2, 3, 4]) for (const alpha of [1e-6, 1e-3, 0.1, 1]) grid.push({ degree, alpha });
  if (algorithm === 'random-forest') {
    // Rows per tree dominate the cost (ml-cart is quadratic in them): counts, capped by the table.
    const samples = [...new Set([500, 1000, 2000].map((m) => Math.min(m, rows)))];
    for (const nEstimators of [20, 40])
      for (const maxDepth of [6, 10, 14])
        for (const maxFeatures of [0.6, 1]) for (const maxSamples of samples) grid.push({ nEstimators, maxDepth, maxFeatures, maxSamples, minNodeSize: 3 });
  }
  const defaults = resolveHyperparameters(algorithm, DEFAULT_HYPERPARAMETERS[algorithm]);
  const key = (hp: Hyperparameters) => JSON.stringify(resolveHyperparameters(algorithm, hp));
  return [defaults, ...grid.filter((hp) => key(hp) !== key(defaults))];
}

/**
 * Grid search (random search over the grid when the budget is smaller than it, defaults always
 * included) scored by k-fold cross-validated RMSE on the same folds for every candidate.
 */
export function tuneHyperparameters(X: number[][], y: number[], algorithm: Algorithm, options: TuningOptions): TuningResult {
  const { rows } = checkMatrix(X);
  checkVector(y, rows);
  const seed = checkSeed(options?.seed, 'options.seed');
  const folds = checkInteger(options.folds, 'options.folds', 2, rows);
  const grid = candidateGrid(algorithm, rows);
  const budget = checkInteger(options.budget ?? (algorithm === 'random-forest' ? 6 : grid.length), 'options.budget', 1);
  const random = createRandom(seed);
  const candidates = budget >= grid.length ? grid : [grid[0] as Hyperparameters, ...random.shuffle(grid.slice(1)).slice(0, budget - 1)];
  const splits = kFold(rows, folds, seed);

  const trace: TuningTrial[] = [];
  const skipped: TuningResult['skipped'] = [];
  for (const candidate of candidates) {
    const hyperparameters = resolveHyperparameters(algorithm, candidate);
    try {
      const { predicted } = crossValidate(X, y, { algorithm, hyperparameters, seed }, splits);
      const { rmse, r2 } = regressionMetrics(y, predicted);
      trace.push({ hyperparameters, rmse, r2 });
    } catch (error) {
      // A candidate these rows cannot support is skipped; a constant response fails every one.
      if (!(error instanceof VistaError) || error.code !== 'invalid' || /constant/.test(error.message)) throw error;
      skipped.push({ hyperparameters, reason: error.message });
    }
  }
  if (trace.length === 0) {
    throw new VistaError(
      'invalid',
      `no ${algorithm} candidate could be fitted on ${rows} rows with ${folds}-fold cross-validation: ${skipped[0]?.reason ?? ''}`,
    );
  }
  const best = trace.reduce((a, b) => (b.rmse < a.rmse ? b : a));
  return { best: best.hyperparameters, bestScore: { rmse: best.rmse, r2: best.r2 }, trace, skipped };
}
