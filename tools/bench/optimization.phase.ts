import { optimize } from '../../apps/optimize/src/domain/optimizer.js';
import { createArtifact, createPredictor, createRandom, type ScalerState, type TrainedModel } from '@vista/modeling';
import type { ReportSection } from './report.js';
import { BOUNDS, FACTORS, fmtRatio, fmtSeconds, progress, surface, timed } from './stages-fixtures.js';

interface Search {
  ms: number;
  evaluations: number;
  predicted: number;
  /** The synthetic surface's true value at the point found. */
  truth: number;
}

export interface OptimizationResults {
  starts: number;
  maxIterations: number;
  vista: Search;
  randomSearch: Search;
}

/** Maximises the trained polynomial model over 10 factors; a random search with as many evaluations is the baseline. */
export function measureOptimization(model: TrainedModel, scaler: ScalerState, X: number[][], seed: number): OptimizationResults {
  const artifact = createArtifact({ factors: BOUNDS.map((_, j) => `x${j}`), response: 'y', scaler, model, X });
  const predict = createPredictor(artifact);
  const bounds = artifact.factors.map((f) => artifact.bounds[f] as [number, number]);
  const starts = 20;
  const maxIterations = 2000;
  progress(`optimisation: multi-start bounded Nelder–Mead, ${starts} starts, maximise the polynomial model over ${FACTORS} factors`);
  const nm = timed(() => optimize(predict, bounds, { kind: 'maximize' }, { starts, maxIterations, seed }));
  const evaluations = nm.result.evaluations;

  progress(`optimisation: random search with the same ${evaluations.toLocaleString('en-US')} evaluations`);
  const random = createRandom(seed);
  const rs = timed(() => {
    let best = { x: [] as number[], predicted: -Infinity };
    for (let i = 0; i < evaluations; i++) {
      const x = bounds.map(([low, high]) => random.between(low, high));
      const predicted = predict(x);
      if (predicted > best.predicted) best = { x, predicted };
    }
    return best;
  });
  return {
    starts,
    maxIterations,
    vista: { ms: nm.ms, evaluations, predicted: nm.result.best.predicted, truth: surface(nm.result.best.x) },
    randomSearch: { ms: rs.ms, evaluations, predicted: rs.result.predicted, truth: surface(rs.result.x) },
  };
}

export function optimizationSection(r: OptimizationResults): ReportSection {
  const detail = (s: Search) =>
    `max predicted ${s.predicted.toFixed(4)}; true surface there ${s.truth.toFixed(4)}; ${s.evaluations.toLocaleString('en-US')} evaluations`;
  return {
    title: `(3) optimisation: maximise the degree-2 model over ${FACTORS} factors`,
    rows: [
      { label: `Nelder–Mead, ${r.starts} starts`, figure: fmtSeconds(r.vista.ms), detail: detail(r.vista) },
      { label: 'random search (baseline)', figure: fmtSeconds(r.randomSearch.ms), detail: detail(r.randomSearch) },
      { label: 'time: Nelder–Mead / random search', figure: fmtRatio(r.vista.ms, r.randomSearch.ms) },
      { label: 'objective gap to random search', figure: (r.vista.predicted - r.randomSearch.predicted).toFixed(4), detail: 'higher is better (maximise)' },
    ],
    notes: [`the synthetic surface peaks at 50 (plus a small interaction term); both searches evaluate the same predictor, inside the training ranges`],
  };
}
