import { VistaError } from '@vista/contracts';
import { fmtCount } from '../checks.js';
import type { FeatureMap, LinearFit } from './least-squares.js';

/** Most terms (intercept included) a polynomial model may have: degree 4 in 10 factors is 1,001. */
export const MAX_POLYNOMIAL_TERMS = 1001;
/** Rows × terms² (the cost of accumulating XᵀX) above which a fit would run for minutes. */
const MAX_NORMAL_EQUATIONS_WORK = 2e10;

/**
 * A fitted polynomial: each term is the list of factor indices it multiplies (non-decreasing, so
 * [0, 0, 3] = x0²·x3), graded by degree; the intercept is separate.
 */
export interface PolynomialState extends LinearFit {
  degree: number;
  terms: number[][];
}

/** Every monomial of total degree 1…degree in `factors` variables, interactions included, graded. */
export function polynomialTerms(factors: number, degree: number): number[][] {
  const terms: number[][] = [];
  let previous: number[][] = [[]];
  for (let d = 1; d <= degree; d++) {
    const current: number[][] = [];
    for (const term of previous) {
      const last = term.length === 0 ? 0 : (term[term.length - 1] as number);
      for (let j = last; j < factors; j++) current.push([...term, j]);
    }
    terms.push(...current);
    previous = current;
  }
  return terms;
}

/** Number of coefficients including the intercept: C(factors + degree, degree). */
export function polynomialTermCount(factors: number, degree: number): number {
  let count = 1;
  for (let i = 1; i <= degree; i++) count = (count * (factors + i)) / i;
  return Math.round(count);
}

/** Refuses a polynomial too large for the data or for the time a fit may take. */
export function checkPolynomialSize(rows: number, factors: number, degree: number): void {
  const terms = polynomialTermCount(factors, degree);
  if (terms > MAX_POLYNOMIAL_TERMS) {
    throw new VistaError(
      'invalid',
      `degree ${degree} in ${factors} factors has ${fmtCount(terms)} terms; at most ${fmtCount(MAX_POLYNOMIAL_TERMS)} are supported: lower the degree`,
    );
  }
  if (rows < terms + 1) {
    throw new VistaError(
      'invalid',
      `degree ${degree} in ${factors} factors has ${fmtCount(terms)} terms: at least ${fmtCount(terms + 1)} training rows are needed, got ${fmtCount(rows)}`,
    );
  }
  if (rows * terms * terms > MAX_NORMAL_EQUATIONS_WORK) {
    throw new VistaError(
      'invalid',
      `degree ${degree} in ${factors} factors (${fmtCount(terms)} terms) on ${fmtCount(rows)} rows is too much work for one fit: lower the degree or sample the rows`,
    );
  }
}

/** The feature map of a term list: each term is its parent term (all but the last factor) times one factor. */
export function polynomialFeatures(terms: readonly (readonly number[])[]): FeatureMap {
  const index = new Map<string, number>(terms.map((t, i) => [t.join(','), i]));
  const parent = terms.map((t) => (t.length <= 1 ? -1 : (index.get(t.slice(0, -1).join(',')) ?? Number.NaN)));
  const factor = terms.map((t) => t[t.length - 1] as number);
  if (parent.some((p, i) => Number.isNaN(p) || p >= i) || terms.some((t) => t.length === 0)) {
    throw new VistaError('invalid', 'the polynomial model is corrupt: its terms are not graded products of factors');
  }
  return {
    width: terms.length,
    expand(x, out) {
      for (let t = 0; t < parent.length; t++) {
        const p = parent[t] as number;
        const value = x[factor[t] as number] as number;
        out[t] = p < 0 ? value : (out[p] as number) * value;
      }
    },
  };
}
