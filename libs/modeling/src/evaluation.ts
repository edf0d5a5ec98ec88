import { checkInteger, checkMatrix, checkNumber, checkOneOf, checkVector, invalid } from './checks.js';
import { type RegressionMetrics, regressionMetrics } from './metrics.js';
import { loadModel, type ModelSpec, type TrainedModel, trainModel } from './models/model.js';
import { checkSeed, createRandom } from './random.js';

/** Which rows train and which test: indices into the table, ascending. */
export interface Split {
  train: number[];
  test: number[];
}

export type Validation = { kind: 'holdout'; testFraction: number } | { kind: 'kfold'; folds: number };

export interface Evaluation {
  /** Holdout: on the test rows. K-fold: on every row's out-of-fold prediction, pooled. */
  metrics: RegressionMetrics;
  /** K-fold only: each fold's own metrics. */
  folds?: RegressionMetrics[];
  /** Holdout: fitted on the training rows. K-fold: fitted on all rows. */
  model: TrainedModel;
  /** How many rows trained and tested the reported metrics. */
  split: { train: number; test: number };
}

const ascending = (indices: number[]) => indices.sort((a, b) => a - b);

/** A seeded random holdout: round(n · testFraction) rows to test (at least 1), the rest to train (at least 1). */
export function holdoutSplit(n: number, testFraction: number, seed: number): Split {
  checkInteger(n, 'rows', 2);
  checkNumber(testFraction, 'validation.testFraction', 0, 1);
  if (testFraction <= 0 || testFraction >= 1) invalid('validation.testFraction', 'expected a fraction strictly between 0 and 1');
  const order = createRandom(checkSeed(seed)).permutation(n);
  const testCount = Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
  return { test: ascending(order.slice(0, testCount)), train: ascending(order.slice(testCount)) };
}

/** Seeded k-fold partition: every row is in exactly one test fold; fold sizes differ by at most one. */
export function kFold(n: number, folds: number, seed: number): Split[] {
  checkInteger(n, 'rows', 2);
  checkInteger(folds, 'validation.folds', 2, n);
  const order = createRandom(checkSeed(seed)).permutation(n);
  const base = Math.floor(n / folds);
  const extra = n % folds;
  const splits: Split[] = [];
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = base + (f < extra ? 1 : 0);
    const test = order.slice(start, start + size);
    const train = [...order.slice(0, start), ...order.slice(start + size)];
    splits.push({ train: ascending(train), test: ascending(test) });
    start += size;
  }
  return splits;
}

const pick = <T>(values: readonly T[], indices: readonly number[]): T[] => indices.map((i) => values[i] as T);

/**
 * Out-of-fold predictions of a k-fold cross-validation: each row predicted by the model that did not
 * see it, with each fold's metrics.
 */
export function crossValidate(X: number[][], y: number[], spec: ModelSpec, splits: Split[]): { predicted: number[]; folds: RegressionMetrics[] } {
  const predicted = new Array<number>(y.length).fill(Number.NaN);
  const folds = splits.map(({ train, test }) => {
    const model = loadModel(trainModel(pick(X, train), pick(y, train), spec));
    const foldPredictions = model.predict(pick(X, test));
    test.forEach((row, i) => {
      predicted[row] = foldPredictions[i] as number;
    });
    return regressionMetrics(pick(y, test), foldPredictions);
  });
  return { predicted, folds };
}

/** Trains and scores a model with a holdout split or k-fold cross-validation. */
export function evaluateModel(X: number[][], y: number[], spec: ModelSpec, validation: Validation, seed: number): Evaluation {
  const { rows } = checkMatrix(X);
  checkVector(y, rows);
  checkSeed(seed);
  const modelSpec: ModelSpec = { ...spec, seed: spec.seed ?? seed };
  const kind = checkOneOf(validation?.kind, 'validation.kind', ['holdout', 'kfold'] as const);
  if (kind === 'holdout') {
    const { train, test } = holdoutSplit(rows, (validation as { testFraction: number }).testFraction, seed);
    const model = trainModel(pick(X, train), pick(y, train), modelSpec);
    const predicted = loadModel(model).predict(pick(X, test));
    return { metrics: regressionMetrics(pick(y, test), predicted), model, split: { train: train.length, test: test.length } };
  }
  const splits = kFold(rows, (validation as { folds: number }).folds, seed);
  const { predicted, folds } = crossValidate(X, y, modelSpec, splits);
  const model = trainModel(X, y, modelSpec);
  return { metrics: regressionMetrics(y, predicted), folds, model, split: { train: rows, test: rows } };
}
