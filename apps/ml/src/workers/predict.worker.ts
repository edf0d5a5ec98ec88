import { workerTask } from '@vista/jobs/worker';
import { type ModelArtifact, predictRows } from '@vista/modeling';

export interface PredictTaskInput {
  /** The model and its version: what this worker keeps parsed. */
  readonly key: string;
  /** The model's artifact as JSON, parsed here only when this worker does not hold it yet. */
  readonly artifactJson: string;
  readonly rows: (number[] | Record<string, number>)[];
}

/** Models this worker holds parsed, most recently used last. */
const held = new Map<string, ModelArtifact>();
const CAPACITY = 16;

/** Predicts rows with a registered model on the service's prediction pool, off its event loop. */
export default workerTask<PredictTaskInput, never, number[]>((input) => {
  const artifact = held.get(input.key) ?? (JSON.parse(input.artifactJson) as ModelArtifact);
  held.delete(input.key);
  held.set(input.key, artifact);
  while (held.size > CAPACITY) held.delete(held.keys().next().value!);
  return predictRows(artifact, input.rows);
});
