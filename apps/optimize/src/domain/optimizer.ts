import { ValidationError, VistaError } from '@vista/contracts';
import { createRandom } from '@vista/modeling';

export type GoalKind = 'minimize' | 'maximize' | 'target';

export interface Goal {
  kind: GoalKind;
  /** The value to hit when kind is `target`. */
  target?: number;
}

export interface OptimizeOptions {
  /** Local searches, each from its own starting point (default 10): the box centre, then a random Latin hypercube. */
  starts?: number;
  /** Nelder–Mead iterations allowed per start (default 1,000). */
  maxIterations?: number;
  /** A search stops when its simplex is this small (as a fraction of each range) and its values agree to this, relatively (default 1e-6). */
  tolerance?: number;
  seed?: number;
}

export interface TracePoint {
  /** The evaluation (1-based, over all starts) that found it. */
  evaluation: number;
  /** The start (0-based) it belongs to. */
  start: number;
  x: number[];
  predicted: number;
  /** The goal's figure at this point: see `OptimizeResult.best.objective`. */
  bestObjective: number;
}

export interface OptimizeResult {
  best: {
    x: number[];
    /** The model's prediction at x. */
    predicted: number;
    /** What the goal judges: the prediction itself (minimize, maximize) or its distance to the target. */
    objective: number;
  };
  evaluations: number;
  starts: number;
  /** Each improvement of the best point over the whole run, in order; at most TRACE_LIMIT entries (then the last is replaced). */
  trace: TracePoint[];
}

export const TRACE_LIMIT = 1000;
const DEFAULTS = { starts: 10, maxIterations: 1000, tolerance: 1e-6, seed: 42 };
/** Edge of the first simplex, as a fraction of each factor's range. */
const INITIAL_STEP = 0.1;
/** Times a converged search is restarted from its best point with a fresh simplex (a simplex squeezed against a bound can stall). */
const RESTARTS = 3;

function invalid(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

/**
 * Multi-start bounded Nelder–Mead on a model's prediction. The search runs in unit coordinates of the
 * box; every point is projected onto the box before it is evaluated, so the objective never sees a
 * point outside the bounds. Adaptive coefficients (Gao & Han 2012) keep it effective in 10 dimensions.
 * A target goal minimises |prediction − target|.
 */
export function optimize(objective: (x: number[]) => number, bounds: [number, number][], goal: Goal, options: OptimizeOptions = {}): OptimizeResult {
  if (typeof objective !== 'function') invalid('objective', 'expected a function');
  checkBounds(bounds);
  const kind = goal?.kind;
  if (kind !== 'minimize' && kind !== 'maximize' && kind !== 'target')
    invalid('goal.kind', `expected minimize, maximize or target, got ${JSON.stringify(kind)}`);
  const target = goal.target;
  if (kind === 'target' && (typeof target !== 'number' || !Number.isFinite(target))) invalid('goal.target', 'a target goal needs a finite target value');
  const starts = integer(options.starts ?? DEFAULTS.starts, 'options.starts', 1, 100_000);
  const maxIterations = integer(options.maxIterations ?? DEFAULTS.maxIterations, 'options.maxIterations', 1, 10_000_000);
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0) invalid('options.tolerance', 'expected a finite number > 0');
  const seed = integer(options.seed ?? DEFAULTS.seed, 'options.seed', -(2 ** 31), 2 ** 32 - 1);

  // Factors with low = high are fixed; the search moves the others.
  const free = bounds.map((_, j) => j).filter((j) => (bounds[j] as [number, number])[1] > (bounds[j] as [number, number])[0]);
  const d = free.length;
  const toReal = (u: Float64Array): number[] => {
    const x = bounds.map(([low]) => low);
    free.forEach((j, a) => {
      const [low, high] = bounds[j] as [number, number];
      x[j] = Math.min(high, Math.max(low, low + (u[a] as number) * (high - low)));
    });
    return x;
  };
  // Lower is better internally; `figure` is what the user reads.
  const score = (p: number) => (kind === 'minimize' ? p : kind === 'maximize' ? -p : Math.abs(p - (target as number)));
  const figure = (p: number) => (kind === 'target' ? Math.abs(p - (target as number)) : p);

  let evaluations = 0;
  let currentStart = 0;
  let best: { x: number[]; predicted: number; score: number } | undefined;
  const trace: TracePoint[] = [];
  const evaluate = (u: Float64Array): number => {
    for (let a = 0; a < d; a++) u[a] = Math.min(1, Math.max(0, u[a] as number));
    const x = toReal(u);
    const predicted = objective(x);
    evaluations++;
    const s = typeof predicted === 'number' && Number.isFinite(predicted) ? score(predicted) : Infinity;
    if (s < (best?.score ?? Infinity)) {
      best = { x, predicted, score: s };
      const point: TracePoint = { evaluation: evaluations, start: currentStart, x, predicted, bestObjective: figure(predicted) };
      if (trace.length < TRACE_LIMIT) trace.push(point);
      else trace[TRACE_LIMIT - 1] = point;
    }
    return s;
  };

  if (d === 0) {
    evaluate(new Float64Array(0));
  } else {
    const startPoints = startingPoints(d, starts, seed);
    startPoints.forEach((u0, s) => {
      currentStart = s;
      let iterationsLeft = maxIterations;
      let from = u0;
      let fromScore = Infinity;
      for (let restart = 0; restart <= RESTARTS && iterationsLeft > 0; restart++) {
        const run = nelderMead(evaluate, from, iterationsLeft, tolerance);
        iterationsLeft -= run.iterations;
        const improved = fromScore - run.score > tolerance * (1 + Math.abs(run.score));
        from = run.u;
        fromScore = run.score;
        if (restart > 0 && !improved) break;
      }
    });
  }

  if (!best || !Number.isFinite(best.score)) {
    throw new VistaError('invalid', `the model predicted no finite value at any of the ${evaluations} points tried inside the bounds`);
  }
  const found = best as { x: number[]; predicted: number; score: number };
  return { best: { x: found.x, predicted: found.predicted, objective: figure(found.predicted) }, evaluations, starts: d === 0 ? 1 : starts, trace };
}

/** The box centre, then a seeded random Latin hypercube: starts spread over the box. */
function startingPoints(d: number, starts: number, seed: number): Float64Array[] {
  const random = createRandom(seed);
  const points: Float64Array[] = [new Float64Array(d).fill(0.5)];
  const others = starts - 1;
  const strata = Array.from({ length: d }, () => random.permutation(others));
  for (let i = 0; i < others; i++) points.push(Float64Array.from({ length: d }, (_, a) => ((strata[a] as number[])[i]! + random.uniform()) / others));
  return points;
}

interface Vertex {
  u: Float64Array;
  score: number;
}

/** One bounded Nelder–Mead search in the unit cube from u0. */
function nelderMead(
  evaluate: (u: Float64Array) => number,
  u0: Float64Array,
  maxIterations: number,
  tolerance: number,
): { u: Float64Array; score: number; iterations: number } {
  const d = u0.length;
  // Adaptive coefficients (Gao & Han); the classic 1, 2, ½, ½ in one and two dimensions.
  const reflect = 1;
  const expand = d > 2 ? 1 + 2 / d : 2;
  const contract = d > 2 ? 0.75 - 1 / (2 * d) : 0.5;
  const shrink = d > 2 ? 1 - 1 / d : 0.5;

  const vertex = (u: Float64Array): Vertex => {
    const copy = Float64Array.from(u);
    return { u: copy, score: evaluate(copy) };
  };
  const simplex: Vertex[] = [vertex(u0)];
  for (let a = 0; a < d; a++) {
    const u = Float64Array.from(simplex[0]!.u);
    u[a] = (u[a] as number) + ((u[a] as number) + INITIAL_STEP <= 1 ? INITIAL_STEP : -INITIAL_STEP);
    simplex.push(vertex(u));
  }
  const combine = (centroid: Float64Array, worst: Float64Array, t: number): Float64Array => {
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) out[a] = (centroid[a] as number) + t * ((centroid[a] as number) - (worst[a] as number));
    return out;
  };

  let iterations = 0;
  while (iterations < maxIterations) {
    simplex.sort((p, q) => p.score - q.score);
    const bestV = simplex[0] as Vertex;
    const worst = simplex[d] as Vertex;
    let spread = 0;
    for (let v = 1; v <= d; v++) for (let a = 0; a < d; a++) spread = Math.max(spread, Math.abs((simplex[v]!.u[a] as number) - (bestV.u[a] as number)));
    const values = Math.abs(worst.score - bestV.score);
    if (spread <= tolerance && (values <= tolerance * (1 + Math.abs(bestV.score)) || !Number.isFinite(values))) break;
    iterations++;

    const centroid = new Float64Array(d);
    for (let v = 0; v < d; v++) for (let a = 0; a < d; a++) centroid[a] = (centroid[a] as number) + (simplex[v]!.u[a] as number) / d;
    const reflected = vertex(combine(centroid, worst.u, reflect));
    if (reflected.score < bestV.score) {
      const expanded = vertex(combine(centroid, worst.u, reflect * expand));
      simplex[d] = expanded.score < reflected.score ? expanded : reflected;
      continue;
    }
    if (reflected.score < (simplex[d - 1] as Vertex).score) {
      simplex[d] = reflected;
      continue;
    }
    const outside = reflected.score < worst.score;
    const contracted = vertex(combine(centroid, worst.u, outside ? reflect * contract : -contract));
    if (contracted.score < (outside ? reflected.score : worst.score)) {
      simplex[d] = contracted;
      continue;
    }
    for (let v = 1; v <= d; v++) {
      const u = new Float64Array(d);
      for (let a = 0; a < d; a++) u[a] = (bestV.u[a] as number) + shrink * ((simplex[v]!.u[a] as number) - (bestV.u[a] as number));
      simplex[v] = vertex(u);
    }
  }
  simplex.sort((p, q) => p.score - q.score);
  return { u: simplex[0]!.u, score: simplex[0]!.score, iterations };
}

function checkBounds(bounds: [number, number][]): void {
  if (!Array.isArray(bounds) || bounds.length === 0) invalid('bounds', 'expected one [low, high] per factor');
  bounds.forEach((range, j) => {
    if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isFinite(v)) || range[0] > range[1]) {
      invalid(`bounds[${j}]`, `expected [low, high] with finite low ≤ high, got ${JSON.stringify(range)}`);
    }
  });
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    invalid(path, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
}
