import type { Random } from '@vista/modeling';

/** n points in [0, 1)^k stored row-major: point i's coordinate j is at i·k + j. */
export interface UnitDesign {
  readonly n: number;
  readonly k: number;
  readonly x: Float64Array;
}

/** A plain random Latin hypercube: each column is a random permutation of the n strata, jittered within each stratum. */
export function randomLatinHypercube(n: number, k: number, random: Random): UnitDesign {
  const x = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const strata = random.permutation(n);
    for (let i = 0; i < n; i++) x[i * k + j] = ((strata[i] as number) + random.uniform()) / n;
  }
  return { n, k, x };
}

/**
 * Squared distance between points a and b, summed dimension by dimension and abandoned as soon as it
 * reaches `limit` (the caller only needs to know it is not below). In 10 dimensions most pairs pass the
 * limit after one or two coordinates: this is what keeps the criterion tractable for 10,000 points.
 */
function partialDistance2(x: Float64Array, k: number, a: number, b: number, limit: number): number {
  const ra = a * k;
  const rb = b * k;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const d = (x[ra + j] as number) - (x[rb + j] as number);
    sum += d * d;
    if (sum >= limit) return sum;
  }
  return sum;
}

/**
 * The smallest pairwise distance of a design (exact). Points are swept in order of their first coordinate
 * and a pair is only measured while that coordinate alone is closer than the best so far.
 */
export function minDistance(design: UnitDesign): number {
  const { n, k, x } = design;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a * k] as number) - (x[b * k] as number));
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const a = order[i] as number;
    const xa = x[a * k] as number;
    for (let j = i + 1; j < n; j++) {
      const b = order[j] as number;
      const gap = (x[b * k] as number) - xa;
      if (gap * gap >= best) break;
      best = Math.min(best, partialDistance2(x, k, a, b, best));
    }
  }
  return Math.sqrt(best);
}

/** Squared distance from point p to its nearest other point (exact). */
function nearest2(design: UnitDesign, p: number): number {
  const { n, k, x } = design;
  let best = Infinity;
  for (let q = 0; q < n; q++) if (q !== p) best = Math.min(best, partialDistance2(x, k, p, q, best));
  return best;
}

/** True when some other point is within squared distance `limit` of p (stops at the first one). */
function hasNeighbourWithin(design: UnitDesign, p: number, limit: number): boolean {
  const { n, k, x } = design;
  for (let q = 0; q < n; q++) if (q !== p && partialDistance2(x, k, p, q, limit) < limit) return true;
  return false;
}

/** Default number of random candidates: many for small designs, one for large ones (where swaps pay more). */
export const defaultCandidates = (n: number): number => Math.max(1, Math.min(10, Math.floor(4e7 / (n * n))));

export interface MaximinReport {
  name: 'maximin';
  /** Smallest pairwise distance of the returned design, in unit-cube coordinates. */
  minDistance: number;
  /** Of the best random candidate, before the swaps. */
  initialMinDistance: number;
  candidates: number;
  swapTrials: number;
  swapsAccepted: number;
  method: string;
}

/**
 * Work allowed for the swap phase, in point-to-point distance evaluations (each a few coordinates thanks
 * to pruning).
 */
const SWAP_WORK = 5e7;
const MAX_SWAP_TRIALS = 20_000;

/**
 * A maximin Latin hypercube. The best of `candidates` random LHS by smallest pairwise distance, then
 * Morris–Mitchell-style column swaps aimed at the critical point: the point with the nearest neighbour
 * swaps one coordinate with a random partner (which keeps every column a permutation of the strata), and
 * the swap is kept only if both moved points end farther from everything than the current minimum.
 * Nearest-neighbour distances are kept per point (lower bounds, refreshed when a point is picked), so a
 * trial costs O(n) pruned distance evaluations rather than the O(n²) of recomputing the criterion.
 */
export function maximinLatinHypercube(n: number, k: number, random: Random, candidates: number): { design: UnitDesign; report: MaximinReport } {
  let design = randomLatinHypercube(n, k, random);
  let initialMinDistance = minDistance(design);
  for (let c = 1; c < candidates; c++) {
    const candidate = randomLatinHypercube(n, k, random);
    const distance = minDistance(candidate);
    if (distance > initialMinDistance) {
      design = candidate;
      initialMinDistance = distance;
    }
  }
  const { x } = design;

  // nn[p] ≤ the true squared nearest-neighbour distance of p, exact whenever p is picked. Only pairs closer
  // than a bound are measured up front (a sweep along the first coordinate); a point without one starts at
  // the bound and is measured exactly if the search ever reaches it. The bound is twice the current minimum,
  // or half the typical spacing n^(−1/k) when that is larger (few dimensions, where the minimum is tiny).
  const reach = Math.max(2 * initialMinDistance, 0.5 * n ** (-1 / k));
  const bound = Math.max(reach * reach, Number.MIN_VALUE);
  const nn = new Float64Array(n).fill(bound);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a * k] as number) - (x[b * k] as number));
  for (let i = 0; i < n; i++) {
    const a = order[i] as number;
    for (let j = i + 1; j < n; j++) {
      const b = order[j] as number;
      const gap = (x[b * k] as number) - (x[a * k] as number);
      if (gap * gap >= bound) break;
      const d = partialDistance2(x, k, a, b, bound);
      if (d < (nn[a] as number)) nn[a] = d;
      if (d < (nn[b] as number)) nn[b] = d;
    }
  }

  // The budget counts O(n) scans of the points (a nearest-neighbour search, a test, an update pass), so
  // refreshes are paid for too.
  const scans = n < 3 ? 0 : Math.floor(SWAP_WORK / n);
  let spent = 0;
  let trials = 0;
  let accepted = 0;
  let failedInARow = 0;
  // Stop early once the closest point has resisted many swaps in a row: small designs converge long before the budget.
  const patience = Math.max(1000, 2 * n);
  while (spent < scans && trials < MAX_SWAP_TRIALS && failedInARow < patience) {
    let p = 0;
    for (let i = 1; i < n; i++) if ((nn[i] as number) < (nn[p] as number)) p = i;
    const exact = nearest2(design, p);
    spent++;
    if (exact > (nn[p] as number)) {
      // A stale lower bound (its neighbour moved away, or it moved itself): refreshed, not a trial.
      nn[p] = exact;
      continue;
    }
    trials++;
    const critical = exact;
    const j = random.integer(k);
    let r = random.integer(n - 1);
    if (r >= p) r += 1;
    swap(x, k, p, r, j);
    // Both moved points must end farther than the current minimum from everything: then no pair got worse.
    const pCrowded = hasNeighbourWithin(design, p, critical * (1 + 1e-12));
    const keep = !pCrowded && !hasNeighbourWithin(design, r, critical * (1 + 1e-12));
    spent += pCrowded ? 1 : 2;
    if (keep) {
      accepted++;
      failedInARow = 0;
      // Lower bounds for the moved points (their exact distances are found when they are picked).
      nn[p] = critical;
      nn[r] = Math.min(nn[r] as number, critical);
      for (let q = 0; q < n; q++) {
        if (q === p || q === r) continue;
        const limit = nn[q] as number;
        nn[q] = Math.min(limit, partialDistance2(x, k, q, p, limit), partialDistance2(x, k, q, r, limit));
      }
      spent += 2;
    } else {
      failedInARow++;
      swap(x, k, p, r, j);
    }
  }
  return {
    design,
    report: {
      name: 'maximin',
      minDistance: minDistance(design),
      initialMinDistance,
      candidates,
      swapTrials: trials,
      swapsAccepted: accepted,
      method: `best of ${candidates} random Latin hypercubes by smallest pairwise distance, then ${trials} coordinate-swap trials on the closest point (Morris–Mitchell style)`,
    },
  };
}

function swap(x: Float64Array, k: number, a: number, b: number, j: number): void {
  const t = x[a * k + j] as number;
  x[a * k + j] = x[b * k + j] as number;
  x[b * k + j] = t;
}
