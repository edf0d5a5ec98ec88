import { VistaError } from '@vista/contracts';
import { checkMatrix, checkVector, fmtCount, fmtValue, invalid } from '../checks.js';
import { checkSeed } from '../random.js';
import { type Algorithm, type Hyperparameters, resolveHyperparameters } from './hyperparameters.js';
import { evaluateLinear, fitPenalisedLeastSquares, type LinearFit, linearFeatures } from './least-squares.js';
import { checkPolynomialSize, polynomialFeatures, type PolynomialState, polynomialTerms } from './polynomial.js';
import { fitRandomForest, loadRandomForest, type RandomForestState } from './random-forest.js';

export interface ModelSpec {
  algorithm: Algorithm;
  /** Missing keys take the algorithm's defaults; keys of other algorithms are ignored. */
  hyperparameters?: Hyperparameters;
  /** Seed of the random forest's bootstraps and factor draws (default 42). */
  seed?: number;
  /** Name of the response, used in error messages (default `y`). */
  response?: string;
}

/** A fitted model as plain JSON: what is stored and sent across a worker boundary. */
export interface TrainedModel {
  algorithm: Algorithm;
  /** The hyperparameters used, with defaults filled in. */
  hyperparameters: Hyperparameters;
  /** The random forest's seed (absent for the deterministic least-squares models). */
  seed?: number;
  /** ridge: LinearFit; polynomial: PolynomialState; random-forest: ml-random-forest's toJSON(). */
  state: LinearFit | PolynomialState | RandomForestState;
  /** Number of factors the model takes. */
  factorCount: number;
}

export interface LoadedModel {
  predict(X: number[][]): number[];
  /** One point, without the per-call overhead of `predict`: the optimiser's inner loop. */
  predictOne(x: number[]): number;
}

/** Fewer rows than this and no model is fitted: nothing useful can be said. */
export const MIN_TRAINING_ROWS = 5;
const DEFAULT_SEED = 42;

/** Trains a regression model on X (rows × factors) and y; refuses a constant response and too few rows. */
export function trainModel(X: number[][], y: number[], spec: ModelSpec): TrainedModel {
  if (typeof spec !== 'object' || spec === null) invalid('spec', 'expected { algorithm, hyperparameters }');
  const hyperparameters = resolveHyperparameters(spec.algorithm, spec.hyperparameters);
  const { rows, columns } = checkMatrix(X);
  checkVector(y, rows);
  const response = spec.response ?? 'y';
  if (rows < MIN_TRAINING_ROWS) {
    throw new VistaError('invalid', `only ${rows} rows to train on: a model needs at least ${MIN_TRAINING_ROWS}`);
  }
  const first = y[0] as number;
  // Constant up to rounding: a spread below 1e-9 of the values' own size is arithmetic noise (an
  // interpolated flat deck gives 4.2 ± 1e-15), not a signal a model could learn.
  let min = first;
  let max = first;
  for (const v of y) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min <= 1e-9 * Math.max(1, Math.abs(max), Math.abs(min))) {
    throw new VistaError('invalid', `the response ${response} is constant (${fmtValue(first)}) on all ${fmtCount(rows)} rows: nothing to learn`);
  }
  switch (spec.algorithm) {
    case 'ridge': {
      if (rows < columns + 2) {
        throw new VistaError(
          'invalid',
          `a linear model in ${columns} factors has ${columns + 1} terms: at least ${columns + 2} training rows are needed, got ${rows}`,
        );
      }
      const state = fitPenalisedLeastSquares(X, y, linearFeatures(columns), hyperparameters.alpha as number);
      return { algorithm: 'ridge', hyperparameters, state, factorCount: columns };
    }
    case 'polynomial': {
      const degree = hyperparameters.degree as number;
      checkPolynomialSize(rows, columns, degree);
      const terms = polynomialTerms(columns, degree);
      const fit = fitPenalisedLeastSquares(X, y, polynomialFeatures(terms), hyperparameters.alpha as number);
      return { algorithm: 'polynomial', hyperparameters, state: { degree, terms, ...fit }, factorCount: columns };
    }
    case 'random-forest': {
      const seed = checkSeed(spec.seed ?? DEFAULT_SEED, 'seed');
      return { algorithm: 'random-forest', hyperparameters, seed, state: fitRandomForest(X, y, hyperparameters, seed), factorCount: columns };
    }
  }
}

/** Rebuilds a predictor from a stored model. */
export function loadModel(trained: TrainedModel): LoadedModel {
  if (typeof trained !== 'object' || trained === null || typeof trained.state !== 'object' || trained.state === null) {
    invalid('model', 'expected a trained model { algorithm, hyperparameters, state }');
  }
  const width = trained.factorCount;
  if (!Number.isInteger(width) || width < 1) invalid('model.factorCount', 'expected a positive integer');
  const checkRow = (x: number[], i: number) => {
    if (!Array.isArray(x) || x.length !== width) invalid(`X[${i}]`, `expected ${width} factor values, got ${Array.isArray(x) ? x.length : typeof x}`);
  };
  switch (trained.algorithm) {
    case 'ridge':
    case 'polynomial': {
      const fit = trained.state as LinearFit | PolynomialState;
      const map = trained.algorithm === 'ridge' ? linearFeatures(width) : polynomialFeatures((fit as PolynomialState).terms);
      if (!Array.isArray(fit.coefficients) || fit.coefficients.length !== map.width || !Number.isFinite(fit.intercept)) {
        invalid('model.state', `expected an intercept and ${map.width} coefficients`);
      }
      const features = new Float64Array(map.width);
      const predictOne = (x: number[]) => {
        map.expand(x, features);
        return evaluateLinear(fit, features);
      };
      return {
        predictOne,
        predict: (X) =>
          X.map((x, i) => {
            checkRow(x, i);
            return predictOne(x);
          }),
      };
    }
    case 'random-forest': {
      const forest = loadRandomForest(trained.state as RandomForestState);
      return {
        predictOne: (x) => forest.predict([x])[0] as number,
        predict: (X) => {
          X.forEach(checkRow);
          return X.length === 0 ? [] : forest.predict(X);
        },
      };
    }
    default:
      return invalid('model.algorithm', `unknown algorithm ${JSON.stringify((trained as { algorithm: unknown }).algorithm)}`);
  }
}
