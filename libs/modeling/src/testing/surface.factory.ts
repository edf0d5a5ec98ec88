import { createRandom } from '../random.js';

export interface SurfaceSample {
  X: number[][];
  y: number[];
}

/** Builds data sets on known response surfaces: uniform points in a box, the surface plus Gaussian noise. */
export const SurfaceFactory = {
  create(options: { rows: number; bounds: [number, number][]; surface: (x: number[]) => number; noise?: number; seed?: number }): SurfaceSample {
    const random = createRandom(options.seed ?? 1);
    const X = Array.from({ length: options.rows }, () => options.bounds.map(([low, high]) => random.between(low, high)));
    const y = X.map((x) => options.surface(x) + (options.noise ?? 0) * random.normal());
    return { X, y };
  },
};
