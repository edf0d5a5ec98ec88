import type { TableArtifact } from '@vista/contracts';
import { workerTask } from '@vista/jobs/worker';
import type { ModelArtifact } from '@vista/modeling';
import { type OptimizationOutcome, type ResolvedOptimizeParams, runOptimization } from '../domain/optimization-plan.js';

export interface OptimizationTaskInput {
  readonly artifactJson: string;
  readonly params: ResolvedOptimizeParams;
  /** The DOE dataset (`TableArtifact` JSON), when hyperparameters are tuned. */
  readonly datasetJson?: string;
}

/** Runs on the service's warm worker pool. */
export default workerTask<OptimizationTaskInput, string, OptimizationOutcome>((input) =>
  runOptimization(
    JSON.parse(input.artifactJson) as ModelArtifact,
    input.params,
    input.datasetJson ? (JSON.parse(input.datasetJson) as TableArtifact) : undefined,
  ),
);
