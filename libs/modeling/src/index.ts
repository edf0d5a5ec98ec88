// Vista's modelling numerics: pure, synchronous and seeded, so the ML and optimize services can run
// them in worker threads. Inputs and outputs are plain JSON.
export * from './artifact.js';
export * from './dataset.js';
export * from './evaluation.js';
export * from './metrics.js';
export * from './models/hyperparameters.js';
export * from './models/model.js';
export type { LinearFit } from './models/least-squares.js';
export type { PolynomialState } from './models/polynomial.js';
export { polynomialTermCount, polynomialTerms, MAX_POLYNOMIAL_TERMS } from './models/polynomial.js';
export type { RandomForestState } from './models/random-forest.js';
export * from './preprocess.js';
export * from './random.js';
export * from './scaling.js';
export * from './tuning.js';
