import { type FactorBounds, type MlParamsV1, type ModelAlgorithm, type TableArtifact, VistaError } from '@vista/contracts';
import {
  type Dataset,
  type ModelArtifact,
  type RegressionMetrics,
  applyScaler,
  createArtifact,
  fitScaler,
  holdoutSplit,
  kFold,
  loadModel,
  preprocess,
  regressionMetrics,
  trainModel,
} from '@vista/modeling';

/** The ML parameters with every default filled in: what a job records it worked with. */
export interface ResolvedMlParams {
  readonly missing: NonNullable<MlParamsV1['missing']>;
  readonly outliers: NonNullable<MlParamsV1['outliers']>;
  readonly outlierThreshold?: number;
  readonly scaling: NonNullable<MlParamsV1['scaling']>;
  readonly algorithm: ModelAlgorithm;
  readonly hyperparameters: Record<string, number>;
  readonly validation: NonNullable<MlParamsV1['validation']>;
  readonly testFraction: number;
  readonly folds: number;
  readonly seed: number;
}

export const resolveMlParams = (params: MlParamsV1 | undefined): ResolvedMlParams => ({
  missing: params?.missing ?? 'median',
  outliers: params?.outliers ?? 'none',
  ...(params?.outlierThreshold !== undefined ? { outlierThreshold: params.outlierThreshold } : {}),
  scaling: params?.scaling ?? 'standard',
  algorithm: params?.algorithm ?? 'polynomial',
  hyperparameters: { ...(params?.hyperparameters as Record<string, number> | undefined) },
  validation: params?.validation ?? 'holdout',
  testFraction: params?.testFraction ?? 0.2,
  folds: params?.folds ?? 5,
  seed: params?.seed ?? 42,
});

export interface MlPipelineInput {
  readonly table: TableArtifact;
  readonly response: string;
  readonly params: ResolvedMlParams;
  /** The design's ranges (the model's training ranges); computed from the data when absent. */
  readonly bounds?: FactorBounds;
}

/** What each step reports as it ends (the step's completion event fields). */
export type StepReport =
  | { step: 'preprocess'; output: { rowsIn: number; rowsOut: number; report: Record<string, unknown> } }
  | { step: 'scaling'; output: { method: string; scaler: Record<string, unknown> } }
  | { step: 'training'; output: { algorithm: string; hyperparameters: Record<string, unknown>; trainingRows: number; trainingR2: number } };

export interface MlPipelineResult {
  readonly metrics: RegressionMetrics;
  readonly testRows: number;
  readonly validation: Record<string, unknown>;
  readonly artifact: ModelArtifact;
}

/** Turns a handed-on table (rows as arrays) into the modelling dataset (rows by column name). */
export function tableToDataset(table: TableArtifact): Dataset {
  return {
    factors: table.factors,
    responses: table.responses,
    rows: table.rows.map((row) => Object.fromEntries(table.columns.map((column, i) => [column, row[i] ?? null]))),
  };
}

const pick = <T>(values: readonly T[], indices: readonly number[]): T[] => indices.map((i) => values[i]!);

/**
 * Preprocess → scaling → training → test, reporting each step as it ends. Pure and synchronous: it
 * runs in a worker thread. The scaler is fitted on the training rows only, so the test never leaks.
 */
export function runMlPipeline(input: MlPipelineInput, report: (step: StepReport) => void): MlPipelineResult {
  const { table, response, params } = input;
  if (!table.responses.includes(response)) {
    throw new VistaError('invalid', `the dataset has no response "${response}" (it has ${table.responses.join(', ')})`);
  }
  const pre = preprocess(tableToDataset(table), response, {
    missing: params.missing,
    outliers: params.outliers,
    ...(params.outlierThreshold !== undefined ? { outlierThreshold: params.outlierThreshold } : {}),
  });
  report({ step: 'preprocess', output: { rowsIn: pre.report.rowsIn, rowsOut: pre.report.rowsOut, report: pre.report as unknown as Record<string, unknown> } });

  const n = pre.y.length;
  const split = params.validation === 'holdout' ? holdoutSplit(n, params.testFraction, params.seed) : { train: [...Array(n).keys()], test: [] as number[] };
  const Xtrain = pick(pre.X, split.train);
  const ytrain = pick(pre.y, split.train);
  const scaler = fitScaler(Xtrain, params.scaling);
  report({ step: 'scaling', output: { method: params.scaling, scaler: scaler as unknown as Record<string, unknown> } });

  const spec = { algorithm: params.algorithm, hyperparameters: params.hyperparameters, seed: params.seed, response };
  const model = trainModel(applyScaler(scaler, Xtrain), ytrain, spec);
  const trainingR2 = regressionMetrics(ytrain, loadModel(model).predict(applyScaler(scaler, Xtrain))).r2;
  report({
    step: 'training',
    output: { algorithm: model.algorithm, hyperparameters: model.hyperparameters as unknown as Record<string, unknown>, trainingRows: ytrain.length, trainingR2 },
  });

  let metrics: RegressionMetrics;
  let validation: Record<string, unknown>;
  let testRows: number;
  if (params.validation === 'holdout') {
    const ytest = pick(pre.y, split.test);
    const predicted = loadModel(model).predict(applyScaler(scaler, pick(pre.X, split.test)));
    metrics = regressionMetrics(ytest, predicted);
    testRows = ytest.length;
    validation = { kind: 'holdout', testFraction: params.testFraction, trainRows: ytrain.length, testRows };
  } else {
    // k-fold: every row is predicted once by a model that did not see it.
    const actual: number[] = [];
    const predicted: number[] = [];
    const folds: RegressionMetrics[] = [];
    for (const fold of kFold(n, params.folds, params.seed)) {
      const foldScaler = fitScaler(pick(pre.X, fold.train), params.scaling);
      const foldModel = trainModel(applyScaler(foldScaler, pick(pre.X, fold.train)), pick(pre.y, fold.train), spec);
      const yhat = loadModel(foldModel).predict(applyScaler(foldScaler, pick(pre.X, fold.test)));
      const ytest = pick(pre.y, fold.test);
      folds.push(regressionMetrics(ytest, yhat));
      actual.push(...ytest);
      predicted.push(...yhat);
    }
    metrics = regressionMetrics(actual, predicted);
    testRows = actual.length;
    validation = { kind: 'kfold', folds: params.folds, perFold: folds };
  }
  // The model's ranges: the design's where known (what the optimiser may search), else the data's.
  const fitted = createArtifact({ factors: table.factors, response, scaler, model, X: pre.X });
  const artifact: ModelArtifact = input.bounds ? { ...fitted, bounds: { ...fitted.bounds, ...input.bounds } } : fitted;
  return { metrics, testRows, validation, artifact };
}
