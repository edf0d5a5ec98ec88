import { checkMatrix, checkOneOf, invalid } from './checks.js';
import { ALGORITHMS } from './models/hyperparameters.js';
import { type LoadedModel, loadModel, type TrainedModel } from './models/model.js';
import { checkScaler, type ScalerState } from './scaling.js';
import { column } from './statistics.js';

export const MODEL_ARTIFACT_FORMAT = 'vista-model/1';

/** Everything needed to predict from raw factor values: stored as JSON, loaded by the optimiser. */
export interface ModelArtifact {
  format: typeof MODEL_ARTIFACT_FORMAT;
  /** The model's inputs, in order. */
  factors: string[];
  response: string;
  /** Applied to raw factor values before the model. */
  scaler: ScalerState;
  model: TrainedModel;
  /** Each factor's range in the training rows (raw units): the default search box of the optimiser. */
  bounds: Record<string, [number, number]>;
}

/** Builds an artifact; `X` are the raw (unscaled) training rows, which give the bounds. */
export function createArtifact(input: { factors: string[]; response: string; scaler: ScalerState; model: TrainedModel; X: number[][] }): ModelArtifact {
  const { columns } = checkMatrix(input.X);
  if (columns !== input.factors.length) invalid('factors', `${input.factors.length} factors named for ${columns} columns`);
  const bounds = Object.fromEntries(
    input.factors.map((name, j) => {
      const values = column(input.X, j);
      let low = Infinity;
      let high = -Infinity;
      for (const v of values) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
      return [name, [low, high] as [number, number]];
    }),
  );
  return checkArtifact({ format: MODEL_ARTIFACT_FORMAT, factors: input.factors, response: input.response, scaler: input.scaler, model: input.model, bounds });
}

/** Checks a deserialised artifact's shape (format, factors, scaler width, model, bounds). */
export function checkArtifact(value: unknown): ModelArtifact {
  if (typeof value !== 'object' || value === null) invalid('artifact', 'expected a model artifact object');
  const artifact = value as ModelArtifact;
  if (artifact.format !== MODEL_ARTIFACT_FORMAT) invalid('artifact.format', `expected '${MODEL_ARTIFACT_FORMAT}', got ${JSON.stringify(artifact.format)}`);
  if (!Array.isArray(artifact.factors) || artifact.factors.length === 0 || artifact.factors.some((f) => typeof f !== 'string')) {
    invalid('artifact.factors', 'expected a non-empty array of factor names');
  }
  if (typeof artifact.response !== 'string') invalid('artifact.response', 'expected the response name');
  checkScaler(artifact.scaler, artifact.factors.length, 'artifact.scaler');
  if (typeof artifact.model !== 'object' || artifact.model === null) invalid('artifact.model', 'expected a trained model');
  checkOneOf(artifact.model.algorithm, 'artifact.model.algorithm', ALGORITHMS);
  if (artifact.model.factorCount !== artifact.factors.length)
    invalid('artifact.model', `takes ${artifact.model.factorCount} factors, the artifact names ${artifact.factors.length}`);
  for (const factor of artifact.factors) {
    const range = artifact.bounds?.[factor];
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || range[0] > range[1]) {
      invalid(`artifact.bounds.${factor}`, 'expected [low, high] with low ≤ high');
    }
  }
  return artifact;
}

const loaded = new WeakMap<ModelArtifact, LoadedModel>();

function modelOf(artifact: ModelArtifact): LoadedModel {
  let model = loaded.get(artifact);
  if (!model) {
    checkArtifact(artifact);
    model = loadModel(artifact.model);
    loaded.set(artifact, model);
  }
  return model;
}

/**
 * Predicts the response for raw rows: arrays in factor order or objects keyed by factor name. A missing
 * or non-finite value is refused naming its place (`rows[3].x2`).
 */
export function predictRows(artifact: ModelArtifact, rows: (number[] | Record<string, number>)[]): number[] {
  const model = modelOf(artifact);
  const { factors, scaler } = artifact;
  if (!Array.isArray(rows)) invalid('rows', 'expected an array of rows');
  const scaled = rows.map((row, i) => {
    if (Array.isArray(row) && row.length !== factors.length)
      invalid(`rows[${i}]`, `expected ${factors.length} values (${factors.join(', ')}), got ${row.length}`);
    if (typeof row !== 'object' || row === null) invalid(`rows[${i}]`, 'expected an array or an object keyed by factor');
    return factors.map((factor, j) => {
      const value = Array.isArray(row) ? row[j] : (row as Record<string, unknown>)[factor];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        invalid(`rows[${i}].${factor}`, value === undefined ? 'missing' : `expected a finite number, got ${JSON.stringify(value)}`);
      }
      return (value - (scaler.center[j] as number)) / (scaler.scale[j] as number);
    });
  });
  return model.predict(scaled);
}

/** A fast predictor of one raw point in factor order, for the optimiser's inner loop. */
export function createPredictor(artifact: ModelArtifact): (x: number[]) => number {
  const model = modelOf(artifact);
  const { center, scale } = artifact.scaler;
  const k = artifact.factors.length;
  const scaled = new Array<number>(k).fill(0);
  return (x) => {
    if (x.length !== k) invalid('x', `expected ${k} values (${artifact.factors.join(', ')}), got ${x.length}`);
    for (let j = 0; j < k; j++) scaled[j] = ((x[j] as number) - (center[j] as number)) / (scale[j] as number);
    return model.predictOne(scaled);
  };
}
