import { ValidationError } from '@vista/contracts';
import { createRandom } from '@vista/modeling';
import { boxBehnken, centralComposite, fullFactorial } from './classical-designs.js';
import { defaultCandidates, type MaximinReport, maximinLatinHypercube, minDistance, randomLatinHypercube, type UnitDesign } from './latin-hypercube.js';

export type DesignType = 'full-factorial' | 'latin-hypercube' | 'central-composite' | 'box-behnken';
export const DESIGN_TYPES: readonly DesignType[] = ['full-factorial', 'latin-hypercube', 'central-composite', 'box-behnken'];

export interface DesignFactor {
  name: string;
  low: number;
  high: number;
}

export interface DesignSpec {
  type: DesignType;
  factors: DesignFactor[];
  /** Latin hypercube: number of points (default 10 per factor). */
  points?: number;
  /** Full factorial: levels per factor, ≥ 2 (default 3). */
  levels?: number;
  /** Central composite and Box–Behnken: centre points (default 1). */
  centerPoints?: number;
  /** Central composite: axial distance (default rotatable). */
  alpha?: 'rotatable' | 'face-centered';
  /** Latin hypercube: maximin (default) or none (a plain random LHS). */
  criterion?: 'maximin' | 'none';
  /** Seed of the Latin hypercube (default 42). */
  seed?: number;
  /** Latin hypercube: random candidates the maximin search starts from (default 10, fewer above 2,000 points, 1 from 6,325). */
  candidates?: number;
}

export interface DesignInfo {
  type: DesignType;
  pointCount: number;
  factorCount: number;
  factors: string[];
  /** Latin hypercube with the maximin criterion: how it was built and the distance reached (unit-cube coordinates). */
  criterion?: MaximinReport;
  /** Latin hypercube: smallest pairwise distance in unit-cube coordinates (with or without a criterion). */
  minDistance?: number;
  levels?: number;
  centerPoints?: number;
  seed?: number;
  /** Central composite: the axial distance in coded units before scaling, and where the points sit. */
  alpha?: { kind: 'rotatable' | 'face-centered'; value: number; scaledToBounds: true; cornerDistance: number; note: string };
  note?: string;
}

export interface Design {
  /** In real units, factor order. */
  points: number[][];
  info: DesignInfo;
}

export const MAX_DESIGN_POINTS = 100_000;
/** Latin hypercubes up to this size get the maximin search and a measured min distance. */
export const MAX_MEASURED_POINTS = 20_000;
const MAX_FACTORS = 100;
const DEFAULT_SEED = 42;

/** Generates a design of experiments over the factors' ranges. */
export function generateDesign(spec: DesignSpec): Design {
  const factors = checkSpec(spec);
  const k = factors.length;
  const info: DesignInfo = { type: spec.type, pointCount: 0, factorCount: k, factors: factors.map((f) => f.name) };
  let coded: number[][];
  switch (spec.type) {
    case 'full-factorial': {
      const levels = integer(spec.levels ?? 3, 'doe.levels', 2, 1000);
      const count = levels ** k;
      if (count > MAX_DESIGN_POINTS) {
        invalid(
          'doe.levels',
          `${levels} levels in ${k} factors make ${count.toLocaleString('en-US')} points; at most ${MAX_DESIGN_POINTS.toLocaleString('en-US')} are allowed`,
        );
      }
      coded = fullFactorial(k, levels);
      info.levels = levels;
      break;
    }
    case 'central-composite': {
      if (k < 2 || k > 10) invalid('doe.factors', `a central composite design takes 2 to 10 factors (2^k corners), got ${k}`);
      const kind = spec.alpha ?? 'rotatable';
      if (kind !== 'rotatable' && kind !== 'face-centered') invalid('doe.alpha', `expected 'rotatable' or 'face-centered', got ${JSON.stringify(kind)}`);
      const centerPoints = integer(spec.centerPoints ?? 1, 'doe.centerPoints', 0, 100);
      const alpha = kind === 'rotatable' ? (2 ** k) ** 0.25 : 1;
      coded = centralComposite(k, alpha, centerPoints);
      info.centerPoints = centerPoints;
      info.alpha = {
        kind,
        value: alpha,
        scaledToBounds: true,
        cornerDistance: 1 / alpha,
        note:
          kind === 'rotatable'
            ? `axial points on the bounds; corners at ±${(1 / alpha).toFixed(4)} of each half-range, so every point stays inside the factor ranges (inscribed CCD)`
            : 'corners and axial points on the bounds (face-centred CCD)',
      };
      break;
    }
    case 'box-behnken': {
      if (k < 3) invalid('doe.design', `a Box–Behnken design needs at least 3 factors, got ${k}`);
      const centerPoints = integer(spec.centerPoints ?? 1, 'doe.centerPoints', 0, 100);
      coded = boxBehnken(k, centerPoints);
      info.centerPoints = centerPoints;
      info.note = 'edge midpoints of every pair of factors (others at their middle), then centre points';
      break;
    }
    case 'latin-hypercube': {
      const n = integer(spec.points ?? 10 * k, 'doe.points', 2, MAX_DESIGN_POINTS);
      const seed = integer(spec.seed ?? DEFAULT_SEED, 'doe.seed', -(2 ** 31), 2 ** 32 - 1);
      const candidates = integer(spec.candidates ?? defaultCandidates(n), 'doe.candidates', 1, 1000);
      const criterion = spec.criterion ?? 'maximin';
      if (criterion !== 'maximin' && criterion !== 'none') invalid('doe.criterion', `expected 'maximin' or 'none', got ${JSON.stringify(criterion)}`);
      const random = createRandom(seed);
      let unit: UnitDesign;
      if (n > MAX_MEASURED_POINTS) {
        // Both the search and measuring the result cost O(n²) distance evaluations: tens of seconds here.
        unit = randomLatinHypercube(n, k, random);
        info.note = `above ${MAX_MEASURED_POINTS.toLocaleString('en-US')} points the design is a plain random Latin hypercube: the maximin search and its min-distance measurement grow with n² and are skipped`;
      } else if (criterion === 'maximin') {
        const built = maximinLatinHypercube(n, k, random, candidates);
        unit = built.design;
        info.criterion = built.report;
        info.minDistance = built.report.minDistance;
      } else {
        unit = randomLatinHypercube(n, k, random);
        info.minDistance = minDistance(unit);
      }
      info.seed = seed;
      const points = Array.from({ length: n }, (_, i) => factors.map((f, j) => f.low + (unit.x[i * k + j] as number) * (f.high - f.low)));
      info.pointCount = n;
      return { points, info };
    }
  }
  const points = coded.map((point) => point.map((v, j) => fromCoded(v, factors[j] as DesignFactor)));
  info.pointCount = points.length;
  return { points, info };
}

// Coded −1 … +1 to real units; the ends are set exactly so a point on a bound is on it, not a rounding away.
function fromCoded(v: number, f: DesignFactor): number {
  if (v === -1) return f.low;
  if (v === 1) return f.high;
  return f.low + ((v + 1) / 2) * (f.high - f.low);
}

function invalid(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkSpec(spec: DesignSpec): DesignFactor[] {
  if (typeof spec !== 'object' || spec === null) invalid('doe', 'expected a design specification');
  if (!DESIGN_TYPES.includes(spec.type)) invalid('doe.design', `expected one of ${DESIGN_TYPES.join(', ')}, got ${JSON.stringify(spec.type)}`);
  const { factors } = spec;
  if (!Array.isArray(factors) || factors.length === 0) invalid('doe.factors', 'at least one factor is needed');
  if (factors.length > MAX_FACTORS) invalid('doe.factors', `at most ${MAX_FACTORS} factors, got ${factors.length}`);
  const names = new Set<string>();
  factors.forEach((f, i) => {
    const at = `doe.factors[${i}]`;
    if (typeof f !== 'object' || f === null) invalid(at, 'expected { name, low, high }');
    if (typeof f.name !== 'string' || f.name === '') invalid(`${at}.name`, 'expected a non-empty name');
    if (names.has(f.name)) invalid(`${at}.name`, `factor '${f.name}' is named twice`);
    names.add(f.name);
    if (typeof f.low !== 'number' || !Number.isFinite(f.low)) invalid(`${at}.low`, `expected a finite number, got ${JSON.stringify(f.low)}`);
    if (typeof f.high !== 'number' || !Number.isFinite(f.high)) invalid(`${at}.high`, `expected a finite number, got ${JSON.stringify(f.high)}`);
    if (!(f.low < f.high)) invalid(`${at}.high`, `high (${f.high}) must be above low (${f.low}) for factor '${f.name}'`);
  });
  return factors;
}
