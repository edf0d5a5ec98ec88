// Classical designs in coded units: −1 = a factor's low bound, +1 = its high bound, 0 = the middle.

/** Every combination of `levels` evenly spaced coded values in k factors; the last factor varies fastest. */
export function fullFactorial(k: number, levels: number): number[][] {
  const values = Array.from({ length: levels }, (_, i) => -1 + (2 * i) / (levels - 1));
  let points: number[][] = [[]];
  for (let j = 0; j < k; j++) points = points.flatMap((point) => values.map((v) => [...point, v]));
  return points;
}

const centre = (k: number, count: number): number[][] => Array.from({ length: count }, () => new Array<number>(k).fill(0));

/**
 * A central composite design: 2^k corners at ±1, 2k axial points at ±alpha, then centre points — divided
 * by alpha so the axial points land on the bounds and nothing leaves the factor ranges (with a rotatable
 * alpha the corners sit at ±1/alpha: the inscribed variant).
 */
export function centralComposite(k: number, alpha: number, centerPoints: number): number[][] {
  const corners = fullFactorial(k, 2);
  const axial: number[][] = [];
  for (let j = 0; j < k; j++) {
    for (const sign of [-1, 1]) {
      const point = new Array<number>(k).fill(0);
      point[j] = sign * alpha;
      axial.push(point);
    }
  }
  return [...corners, ...axial, ...centre(k, centerPoints)].map((point) => point.map((v) => v / alpha));
}

/** Box–Behnken: for each pair of factors the four (±1, ±1) edge midpoints with the others at 0, then centre points. */
export function boxBehnken(k: number, centerPoints: number): number[][] {
  const points: number[][] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      for (const sa of [-1, 1]) {
        for (const sb of [-1, 1]) {
          const point = new Array<number>(k).fill(0);
          point[a] = sa;
          point[b] = sb;
          points.push(point);
        }
      }
    }
  }
  return [...points, ...centre(k, centerPoints)];
}
