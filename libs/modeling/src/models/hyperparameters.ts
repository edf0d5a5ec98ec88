import { checkInteger, checkNumber, checkOneOf, invalid } from '../checks.js';

export type Algorithm = 'ridge' | 'polynomial' | 'random-forest';
export const ALGORITHMS: readonly Algorithm[] = ['ridge', 'polynomial', 'random-forest'];

/**
 * Hyperparameters of every algorithm in one flat, JSON-friendly record; each algorithm reads its own
 * keys and ignores those of the others (a name that belongs to no algorithm is refused).
 * - ridge: `alpha`
 * - polynomial: `degree`, `alpha`
 * - random-forest: `nEstimators`, `maxDepth`, `maxFeatures`, `maxSamples`, `minNodeSize`
 */
export interface Hyperparameters {
  /** L2 penalty on standardised features (the intercept is never penalised). ≥ 0. */
  alpha?: number;
  /** Polynomial degree, 1–4; all interaction terms up to that total degree are included. */
  degree?: number;
  /** Number of trees. */
  nEstimators?: number;
  /** Maximum depth of each tree. */
  maxDepth?: number;
  /** Factors each tree is grown on (ml-random-forest draws them per tree): a fraction ≤ 1 or a whole count > 1. */
  maxFeatures?: number;
  /** Rows drawn with replacement for each tree: a fraction ≤ 1 of the training rows or a whole count > 1. */
  maxSamples?: number;
  /** A tree node with this many rows or fewer becomes a leaf. */
  minNodeSize?: number;
}

export const DEFAULT_HYPERPARAMETERS: Record<Algorithm, Hyperparameters> = {
  // Features are standardised inside the fit, so alpha is scale-free; 1e-6 is least squares with a
  // guard against exactly collinear columns.
  ridge: { alpha: 1e-6 },
  polynomial: { degree: 2, alpha: 1e-6 },
  // ml-cart's split search costs O(rows²) per node (measured: 1,000 rows ≈ 0.5 s per tree, 2,000 ≈ 1.9 s,
  // 4,000 ≈ 9.5 s), so each tree is grown on a bootstrap of at most 1,000 rows: 30 trees ≈ 15 s whatever
  // the table's size. See docs/decisions.md.
  'random-forest': { nEstimators: 30, maxDepth: 10, maxFeatures: 1, maxSamples: 1000, minNodeSize: 3 },
};

/** Rows one tree may be grown on: above this ml-cart takes tens of seconds per tree. */
export const MAX_ROWS_PER_TREE = 5000;
export const MAX_POLYNOMIAL_DEGREE = 4;

const KEYS: Record<Algorithm, readonly (keyof Hyperparameters)[]> = {
  ridge: ['alpha'],
  polynomial: ['degree', 'alpha'],
  'random-forest': ['nEstimators', 'maxDepth', 'maxFeatures', 'maxSamples', 'minNodeSize'],
};

const ALL_KEYS = new Set<string>(Object.values(KEYS).flat());

/**
 * Checks an algorithm's hyperparameters and fills in its defaults. Keys of other algorithms are left
 * out of the result; a key no algorithm knows is refused (a typo would otherwise go unnoticed).
 */
export function resolveHyperparameters(algorithm: Algorithm, given: Hyperparameters | undefined, path = 'hyperparameters'): Hyperparameters {
  checkOneOf(algorithm, 'algorithm', ALGORITHMS);
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) invalid(path, 'expected an object');
  const allowed = KEYS[algorithm];
  for (const key of Object.keys(given ?? {})) {
    if (!ALL_KEYS.has(key)) invalid(`${path}.${key}`, `not a hyperparameter (${[...ALL_KEYS].join(', ')})`);
  }
  const hp: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS[algorithm] };
  for (const key of allowed) {
    const value = given?.[key];
    if (value !== undefined) hp[key] = value;
  }
  const at = (key: string) => `${path}.${key}`;
  if (hp.alpha !== undefined) checkNumber(hp.alpha, at('alpha'), 0, 1e12);
  if (algorithm === 'polynomial') checkInteger(hp.degree, at('degree'), 1, MAX_POLYNOMIAL_DEGREE);
  if (algorithm === 'random-forest') {
    checkInteger(hp.nEstimators, at('nEstimators'), 1, 1000);
    checkInteger(hp.maxDepth, at('maxDepth'), 1, 50);
    checkInteger(hp.minNodeSize, at('minNodeSize'), 1, 1_000_000);
    const maxFeatures = checkNumber(hp.maxFeatures, at('maxFeatures'), Number.MIN_VALUE);
    if (maxFeatures > 1 && !Number.isInteger(maxFeatures)) invalid(at('maxFeatures'), 'expected a fraction in (0, 1] or a whole number of factors');
    const maxSamples = checkNumber(hp.maxSamples, at('maxSamples'), Number.MIN_VALUE);
    if (maxSamples > 1 && !Number.isInteger(maxSamples)) invalid(at('maxSamples'), 'expected a fraction in (0, 1] or a whole number of rows');
  }
  return hp;
}
