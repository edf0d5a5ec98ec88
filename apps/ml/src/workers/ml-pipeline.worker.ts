import type { TableArtifact } from '@vista/contracts';
import { workerTask } from '@vista/jobs/worker';
import { type MlPipelineResult, type ResolvedMlParams, type StepReport, runMlPipeline } from '../domain/ml-pipeline.js';
import type { FactorBounds } from '@vista/contracts';

export interface MlPipelineTaskInput {
  /** The DOE dataset as `TableArtifact` JSON (parsed here, off the service's event loop). */
  readonly datasetJson: string;
  readonly response: string;
  readonly params: ResolvedMlParams;
  readonly bounds?: FactorBounds;
}

/** Runs on the service's warm worker pool. */
export default workerTask<MlPipelineTaskInput, StepReport, MlPipelineResult>((input, progress) =>
  runMlPipeline(
    {
      table: JSON.parse(input.datasetJson) as TableArtifact,
      response: input.response,
      params: input.params,
      ...(input.bounds ? { bounds: input.bounds } : {}),
    },
    progress,
  ),
);
