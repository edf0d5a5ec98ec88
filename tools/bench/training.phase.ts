import { DecisionTreeRegression } from 'ml-cart';
import { Matrix, solve } from 'ml-matrix';
import {
  type Algorithm,
  applyScaler,
  createRandom,
  DEFAULT_HYPERPARAMETERS,
  fitScaler,
  loadModel,
  polynomialTerms,
  r2,
  type ScalerState,
  type TrainedModel,
  trainModel,
} from '@vista/modeling';
import type { ReportSection } from './report.js';
import { FACTORS, fmtRatio, fmtSeconds, progress, syntheticRows, timed } from './stages-fixtures.js';

interface Fit {
  ms: number;
  r2: number;
}

export interface TrainingResults {
  rows: number;
  factors: number;
  noise: number;
  ridge: { vista: Fit; normalEquations: Fit };
  polynomial: { vista: Fit; normalEquations: Fit; terms: number };
  forest: {
    vista: Fit & { predictMs: number; hyperparameters: TrainedModel['hyperparameters']; jsonBytes: number };
    singleTree: Fit & { rows: number };
    treeAt2000Rows: { ms: number };
  };
  /** For the optimisation phase. */
  polynomialModel: TrainedModel;
  scaler: ScalerState;
  X: number[][];
}

/** Plain least squares as a textbook would write it: the full design matrix, XᵀX and Xᵀy by multiplication, one solve. */
function normalEquations(design: number[][], y: number[]): { ms: number; predicted: number[] } {
  const { result, ms } = timed(() => {
    const D = new Matrix(design);
    const Dt = D.transpose();
    const beta = solve(Dt.mmul(D), Dt.mmul(Matrix.columnVector(y)));
    return D.mmul(beta).getColumn(0);
  });
  return { ms, predicted: result };
}

/** Trains ridge, polynomial and random-forest models on 100,000 × 10 rows beside naive baselines. */
export function measureTraining(rows: number, seed: number): TrainingResults {
  const noise = 0.1;
  progress(`training: generating ${rows.toLocaleString('en-US')} rows × ${FACTORS} factors (smooth surface + N(0, ${noise}²) noise)`);
  const { X, y } = syntheticRows(rows, noise, seed);
  const scaler = fitScaler(X, 'standard');
  const Z = applyScaler(scaler, X);
  const fit = (algorithm: Algorithm, hyperparameters = {}) => {
    const trained = timed(() => trainModel(Z, y, { algorithm, hyperparameters, seed }));
    const predicted = timed(() => loadModel(trained.result).predict(Z));
    return { model: trained.result, ms: trained.ms, predictMs: predicted.ms, r2: r2(y, predicted.result) };
  };

  progress('training: ridge');
  const ridge = fit('ridge');
  progress('training: ridge baseline (normal equations on the full design matrix)');
  const ridgeBase = normalEquations(
    Z.map((z) => [1, ...z]),
    y,
  );

  progress('training: polynomial, degree 2');
  const polynomial = fit('polynomial', { degree: 2 });
  progress('training: polynomial baseline (expanded design matrix, normal equations)');
  const terms = polynomialTerms(FACTORS, 2);
  const polyBase = normalEquations(
    Z.map((z) => [1, ...terms.map((t) => t.reduce((p, j) => p * (z[j] as number), 1))]),
    y,
  );

  const hp = DEFAULT_HYPERPARAMETERS['random-forest'];
  progress(`training: random forest (${hp.nEstimators} trees, ${hp.maxSamples} bootstrap rows each, depth ${hp.maxDepth})`);
  const forest = fit('random-forest');
  progress('training: random-forest baseline (one ml-cart regression tree on the same bootstrap size)');
  const random = createRandom(seed + 1);
  const bootstrap = (m: number) => Array.from({ length: m }, () => random.integer(rows));
  const tree = (m: number) => {
    const picked = bootstrap(m);
    const model = new DecisionTreeRegression({ maxDepth: hp.maxDepth, minNumSamples: hp.minNodeSize });
    const trained = timed(() =>
      model.train(
        picked.map((i) => Z[i] as number[]),
        picked.map((i) => y[i] as number),
      ),
    );
    return { model, ms: trained.ms };
  };
  const single = tree(hp.maxSamples as number);
  const singleR2 = r2(y, single.model.predict(Z));
  progress('training: one ml-cart tree on 2,000 rows (to show how the cost grows with rows)');
  const at2000 = tree(2000);

  return {
    rows,
    factors: FACTORS,
    noise,
    ridge: { vista: { ms: ridge.ms, r2: ridge.r2 }, normalEquations: { ms: ridgeBase.ms, r2: r2(y, ridgeBase.predicted) } },
    polynomial: {
      vista: { ms: polynomial.ms, r2: polynomial.r2 },
      normalEquations: { ms: polyBase.ms, r2: r2(y, polyBase.predicted) },
      terms: terms.length + 1,
    },
    forest: {
      vista: {
        ms: forest.ms,
        r2: forest.r2,
        predictMs: forest.predictMs,
        hyperparameters: forest.model.hyperparameters,
        jsonBytes: JSON.stringify(forest.model).length,
      },
      singleTree: { ms: single.ms, r2: singleR2, rows: hp.maxSamples as number },
      treeAt2000Rows: { ms: at2000.ms },
    },
    polynomialModel: polynomial.model,
    scaler,
    X,
  };
}

export function trainingSection(r: TrainingResults): ReportSection {
  const n = r.rows.toLocaleString('en-US');
  const r2s = (f: Fit) => `training R² ${f.r2.toFixed(4)}`;
  const hp = r.forest.vista.hyperparameters;
  // ml-cart's split search is quadratic in a node's rows: scale the 2,000-row tree to all rows.
  const fullTreeHours = (r.forest.treeAt2000Rows.ms * (r.rows / 2000) ** 2) / 3_600_000;
  return {
    title: `(2) training on ${n} rows × ${r.factors} factors (standardised), smooth response + noise σ = ${r.noise}`,
    rows: [
      { label: 'ridge (Vista: blocked gram + Cholesky)', figure: fmtSeconds(r.ridge.vista.ms), detail: r2s(r.ridge.vista) },
      { label: 'ridge baseline: solve(XᵀX, Xᵀy)', figure: fmtSeconds(r.ridge.normalEquations.ms), detail: r2s(r.ridge.normalEquations) },
      { label: 'ridge: Vista / baseline', figure: fmtRatio(r.ridge.vista.ms, r.ridge.normalEquations.ms) },
      { label: `polynomial degree 2 (${r.polynomial.terms} terms)`, figure: fmtSeconds(r.polynomial.vista.ms), detail: r2s(r.polynomial.vista) },
      { label: 'polynomial baseline: solve(XᵀX, Xᵀy)', figure: fmtSeconds(r.polynomial.normalEquations.ms), detail: r2s(r.polynomial.normalEquations) },
      { label: 'polynomial: Vista / baseline', figure: fmtRatio(r.polynomial.vista.ms, r.polynomial.normalEquations.ms) },
      {
        label: `random forest (${hp.nEstimators} trees × ${hp.maxSamples} rows)`,
        figure: fmtSeconds(r.forest.vista.ms),
        detail: `${r2s(r.forest.vista)}; predicting ${n} rows ${fmtSeconds(r.forest.vista.predictMs)}; model JSON ${(r.forest.vista.jsonBytes / 1e6).toFixed(1)} MB`,
      },
      {
        label: `forest baseline: one ml-cart tree, ${r.forest.singleTree.rows} rows`,
        figure: fmtSeconds(r.forest.singleTree.ms),
        detail: r2s(r.forest.singleTree),
      },
      { label: 'forest: Vista / one tree', figure: fmtRatio(r.forest.vista.ms, r.forest.singleTree.ms) },
      {
        label: 'one ml-cart tree on 2,000 rows',
        figure: fmtSeconds(r.forest.treeAt2000Rows.ms),
        detail: `scaled by rows² to all ${n} rows: ≈ ${fullTreeHours.toFixed(1)} h per tree (not run)`,
      },
    ],
    notes: [
      'baselines: the same least-squares fit with ml-matrix, the full design matrix (intercept column + features) multiplied out and solve()d;',
      'Vista standardises the features and accumulates XᵀX in 8,192-row blocks with ml-matrix gram(), so the expanded design never exists whole',
      'forest baseline: a single ml-cart DecisionTreeRegression on one bootstrap of the same size; a tree on all rows is out of reach (ml-cart',
      `evaluates every split by re-partitioning the node: O(rows²) per node), which is why each tree gets ${hp.maxSamples} bootstrap rows by default`,
    ],
  };
}
