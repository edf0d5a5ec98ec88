import type { TableArtifact } from '@vista/contracts';
import { serveWorkerTask } from '@vista/jobs';
import { type MlPipelineResult, type ResolvedMlParams, type StepReport, runMlPipeline } from '../domain/ml-pipeline.js';
import type { FactorBounds } from '@vista/contracts';

export interface MlPipelineTaskInput {
  /** The DOE dataset as `TableArtifact` JSON (parsed here, off the service's event loop). */
  readonly datasetJson: string;
  readonly response: string;
  readonly params: ResolvedMlParams;
  readonly bounds?: FactorBounds;
}

serveWorkerTask<MlPipelineTaskInput, StepReport, MlPipelineResult>((input, progress) =>
  runMlPipeline(
    { table: JSON.parse(input.datasetJson) as TableArtifact, response: input.response, params: input.params, ...(input.bounds ? { bounds: input.bounds } : {}) },
    progress,
  ),
);
