import { type DoeParamsV1, type FactorBounds, type TableArtifact, ValidationError, VistaError } from '@vista/contracts';
import { generateDesign } from './design/design.js';
import { fitInterpolator } from './labelling/interpolator.js';

/** The DOE parameters with every default filled in: what a job records it worked with. */
export type ResolvedDoeParams = Required<Pick<DoeParamsV1, 'design' | 'points' | 'levels' | 'centerPoints' | 'alpha' | 'labelling' | 'seed'>> &
  Pick<DoeParamsV1, 'bounds'>;

export const resolveDoeParams = (params: DoeParamsV1 | undefined): ResolvedDoeParams => ({
  design: params?.design ?? 'latin-hypercube',
  points: params?.points ?? 200,
  levels: params?.levels ?? 5,
  centerPoints: params?.centerPoints ?? 1,
  alpha: params?.alpha ?? 'rotatable',
  labelling: params?.labelling ?? 'interpolator',
  seed: params?.seed ?? 42,
  ...(params?.bounds ? { bounds: params.bounds } : {}),
});

export interface DesignPlan {
  readonly factors: string[];
  readonly responses: string[];
  readonly bounds: FactorBounds;
  /** Design points in real units, factor order. */
  readonly points: number[][];
  readonly info: Record<string, unknown>;
}

/** The design's ranges: the run's bounds where given, else each factor's range in the deck. */
export function designBounds(deck: TableArtifact, override: FactorBounds | undefined): FactorBounds {
  const unknown = Object.keys(override ?? {}).filter((f) => !deck.factors.includes(f));
  if (unknown.length > 0) {
    throw new ValidationError(`params.doe.bounds names ${unknown.join(', ')}, which the deck does not have (its factors: ${deck.factors.join(', ')})`, [
      { path: 'params.doe.bounds', message: `unknown factor ${unknown.join(', ')}` },
    ]);
  }
  const bounds: FactorBounds = {};
  for (const factor of deck.factors) {
    const given = override?.[factor];
    if (given) {
      bounds[factor] = given;
      continue;
    }
    const column = deck.columns.indexOf(factor);
    let low = Infinity;
    let high = -Infinity;
    for (const row of deck.rows) {
      const v = row[column];
      if (v === null || v === undefined) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    if (!(low < high)) throw new VistaError('invalid', `factor ${factor} does not vary in the deck (${Number.isFinite(low) ? `always ${low}` : 'no values'}): no range to design over`);
    bounds[factor] = [low, high];
  }
  return bounds;
}

/** Generates the run's design over the deck's factor ranges. */
export function planDesign(deck: TableArtifact, params: ResolvedDoeParams): DesignPlan {
  const bounds = designBounds(deck, params.bounds);
  const design = generateDesign({
    type: params.design,
    factors: deck.factors.map((name) => ({ name, low: bounds[name]![0], high: bounds[name]![1] })),
    points: params.points,
    levels: params.levels,
    centerPoints: params.centerPoints,
    alpha: params.alpha,
    seed: params.seed,
  });
  return { factors: deck.factors, responses: deck.responses, bounds, points: design.points, info: design.info as unknown as Record<string, unknown> };
}

/** Labels design points with an interpolator fitted per response on the deck's complete rows. */
export function labelFromDeck(deck: TableArtifact, points: number[][]): { labels: number[][]; info: Record<string, unknown> } {
  const factorColumns = deck.factors.map((f) => deck.columns.indexOf(f));
  const perResponse: number[][] = [];
  const info: Record<string, unknown> = {};
  for (const response of deck.responses) {
    const column = deck.columns.indexOf(response);
    const X: number[][] = [];
    const y: number[] = [];
    for (const row of deck.rows) {
      const x = factorColumns.map((c) => row[c]);
      const v = row[column];
      if (v === null || v === undefined || x.some((c) => c === null || c === undefined)) continue;
      X.push(x as number[]);
      y.push(v);
    }
    if (X.length < deck.factors.length + 2) {
      throw new VistaError('invalid', `response ${response} has only ${X.length} complete rows in the deck: too few to fit an interpolator over ${deck.factors.length} factors`);
    }
    const interpolator = fitInterpolator(X, y);
    perResponse.push(interpolator.predict(points));
    info[response] = { ...interpolator.info, rows: X.length };
  }
  const labels = points.map((_, i) => perResponse.map((values) => values[i]!));
  return { labels, info };
}

/** Summary of each labelled response: what `doe_step.data_info` shows besides the design. */
export function responseSummary(responses: string[], labels: number[][]): Record<string, { min: number; max: number; mean: number }> {
  return Object.fromEntries(
    responses.map((name, r) => {
      // A loop, not Math.min(...values): a design may have 100,000 points, too many call arguments.
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const row of labels) {
        const v = row[r]!;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      return [name, { min, max, mean: labels.length ? sum / labels.length : NaN }];
    }),
  );
}
