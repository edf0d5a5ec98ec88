import { type FactorBounds, type OptimizeParamsV1, type TableArtifact, VistaError } from '@vista/contracts';
import { type ModelArtifact, createPredictor, preprocess, tuneHyperparameters } from '@vista/modeling';
import { optimize } from './optimizer.js';

/** The optimisation parameters with every default filled in: what a job records it worked with. */
export interface ResolvedOptimizeParams {
  readonly goal: NonNullable<OptimizeParamsV1['goal']>;
  readonly target?: number;
  readonly starts: number;
  readonly maxIterations: number;
  readonly tuneHyperparameters: boolean;
  readonly bounds?: FactorBounds;
  readonly seed: number;
}

export const resolveOptimizeParams = (params: OptimizeParamsV1 | undefined): ResolvedOptimizeParams => ({
  goal: params?.goal ?? 'minimize',
  ...(params?.target !== undefined ? { target: params.target } : {}),
  starts: params?.starts ?? 20,
  maxIterations: params?.maxIterations ?? 2_000,
  tuneHyperparameters: params?.tuneHyperparameters ?? false,
  ...(params?.bounds ? { bounds: params.bounds } : {}),
  seed: params?.seed ?? 42,
});

/** Traced improvements kept in the completion event; the full trace stays in the optimize schema. */
export const EVENT_TRACE_LIMIT = 200;

export interface OptimizationOutcome {
  readonly bestFactors: Record<string, number>;
  readonly predicted: Record<string, number>;
  readonly objective: number;
  readonly evaluations: number;
  readonly starts: number;
  readonly bounds: FactorBounds;
  readonly trace: Record<string, unknown>[];
  readonly tuning?: Record<string, unknown>;
}

/** The search ranges: the run's bounds where given (inside the model's factors), else the model's training ranges. */
export function searchBounds(artifact: ModelArtifact, override: FactorBounds | undefined): [number, number][] {
  const unknown = Object.keys(override ?? {}).filter((f) => !artifact.factors.includes(f));
  if (unknown.length > 0) throw new VistaError('invalid', `params.optimize.bounds names ${unknown.join(', ')}, which the model does not use (its factors: ${artifact.factors.join(', ')})`);
  return artifact.factors.map((f) => override?.[f] ?? artifact.bounds[f]!);
}

/** Finds the factor settings that best meet the goal on the model's prediction; optionally tunes its hyperparameters. */
export function runOptimization(artifact: ModelArtifact, params: ResolvedOptimizeParams, dataset?: TableArtifact): OptimizationOutcome {
  if (params.goal === 'target' && params.target === undefined) throw new VistaError('invalid', 'goal "target" needs params.optimize.target');
  const bounds = searchBounds(artifact, params.bounds);
  const result = optimize(createPredictor(artifact), bounds, { kind: params.goal, ...(params.target !== undefined ? { target: params.target } : {}) }, {
    starts: params.starts,
    maxIterations: params.maxIterations,
    seed: params.seed,
  });
  const names = artifact.factors;
  return {
    bestFactors: Object.fromEntries(names.map((f, j) => [f, result.best.x[j]!])),
    predicted: { [artifact.response]: result.best.predicted },
    objective: result.best.objective,
    evaluations: result.evaluations,
    starts: result.starts,
    bounds: Object.fromEntries(names.map((f, j) => [f, bounds[j]!])),
    trace: result.trace.map((t) => ({ ...t, x: Object.fromEntries(names.map((f, j) => [f, t.x[j]!])) })),
    ...(params.tuneHyperparameters && dataset ? { tuning: tune(artifact, dataset, params.seed) } : {}),
  };
}

/** Cross-validated search over the model's hyperparameters on the run's dataset: a recommendation beside the registered model. */
function tune(artifact: ModelArtifact, table: TableArtifact, seed: number): Record<string, unknown> {
  const dataset = {
    factors: table.factors,
    responses: table.responses,
    rows: table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null]))),
  };
  const { X, y } = preprocess(dataset, artifact.response, { missing: 'drop', outliers: 'none' });
  const tuned = tuneHyperparameters(X, y, artifact.model.algorithm, { folds: 5, seed });
  return {
    algorithm: artifact.model.algorithm,
    registered: artifact.model.hyperparameters,
    best: tuned.best,
    bestScore: tuned.bestScore,
    candidates: tuned.trace.length,
    trace: tuned.trace.slice(0, 100),
  };
}
