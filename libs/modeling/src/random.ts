import { XSadd } from 'ml-xsadd';
import { ValidationError } from '@vista/contracts';

/** A seeded stream of random numbers: the only source of randomness in the numerics (same seed, same result). */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [low, high). */
  between(low: number, high: number): number;
  /** A uniform integer in [0, n). */
  integer(n: number): number;
  /** A standard normal deviate (Box–Muller). */
  normal(): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** 0 … n − 1 in a random order. */
  permutation(n: number): number[];
  /** A fresh non-negative 31-bit seed drawn from this stream, for a sub-task that needs its own. */
  nextSeed(): number;
}

/** Checks that a seed is a finite integer (any sign; it is reduced to 32 bits). */
export function checkSeed(seed: unknown, path = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new ValidationError(`${path} must be an integer`, [{ path, message: `expected an integer, got ${JSON.stringify(seed)}` }]);
  }
  return seed;
}

/** A seeded PRNG on XSadd (ml-xsadd). */
export function createRandom(seed: number): Random {
  const engine = new XSadd(checkSeed(seed) >>> 0);
  const uniform = () => engine.getFloat();
  let spareNormal: number | undefined;
  return {
    uniform,
    between: (low, high) => low + (high - low) * uniform(),
    integer: (n) => Math.floor(uniform() * n),
    normal() {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      // 1 − u keeps the logarithm's argument in (0, 1].
      const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
      const angle = 2 * Math.PI * uniform();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const item = items[i] as T;
        items[i] = items[j] as T;
        items[j] = item;
      }
      return items;
    },
    permutation(n) {
      return this.shuffle(Array.from({ length: n }, (_, i) => i));
    },
    nextSeed: () => engine.getUint32() >>> 1,
  };
}
