import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ChainContextV1 } from '@vista/contracts';
import { ArtifactsBucket, artifactName } from '@vista/bus';
import type { StageJob, StageWorkContext } from '@vista/jobs';
import type { MlPipelineResult, ResolvedMlParams, StepReport } from '../../domain/ml-pipeline.js';
import { ModelRepository } from '../../repositories/model.repository.js';
import type { MlPipelineTaskInput } from '../../workers/ml-pipeline.worker.js';

/** The service's worker module (preloaded by every worker of its pool). */
export const PIPELINE_WORKER = new URL('../../workers/ml-pipeline.worker.js', import.meta.url);

/**
 * An ML job's work: preprocess → scaling → training → test in a worker thread, each step recorded as
 * it ends; the tested model is registered (stored, versioned, with its lineage) with the test result.
 */
@Injectable()
export class RunMlUseCase {
  constructor(
    private readonly artifacts: ArtifactsBucket,
    private readonly models: ModelRepository,
  ) {}

  async execute(job: StageJob, context: StageWorkContext): Promise<void> {
    const chain = job.input.chain as ChainContextV1;
    const params = job.input.ml as ResolvedMlParams;
    const response = chain.response ?? chain.responses[0]!;
    const modelId = randomUUID();
    const datasetJson = await this.artifacts.get(artifactName.dataset(String(job.input.datasetId)));
    context.log(`modelling ${response} from dataset ${job.input.datasetId}: ${params.algorithm}, ${params.scaling} scaling, ${params.validation} validation`);
    const steps: Promise<void>[] = [];
    const onProgress = (report: StepReport) => {
      const output = report.step === 'training' ? { ...report.output, modelId } : report.output;
      context.log(describe(report));
      const recorded = context.completeStep(report.step, output);
      // Awaited below; until then a failed append must not count as an unhandled rejection.
      recorded.catch(() => undefined);
      steps.push(recorded);
    };
    const result = await context.runTask<MlPipelineTaskInput, StepReport, MlPipelineResult>(
      PIPELINE_WORKER,
      { datasetJson, response, params, ...(chain.bounds ? { bounds: chain.bounds } : {}) },
      onProgress,
    );
    await Promise.all(steps);

    const metrics = { rmse: result.metrics.rmse, mae: result.metrics.mae, r2: result.metrics.r2 };
    const lineage = {
      deckId: chain.deckId,
      datasetId: job.input.datasetId,
      designType: chain.designType,
      runId: job.runId,
      jobId: job.jobId,
      attempt: job.attempt,
    };
    const artifactJson = JSON.stringify(result.artifact);
    const digest = await this.artifacts.put(artifactName.model(modelId), artifactJson);
    const modelVersion = await this.models.register({
      modelId,
      kitId: job.kitId,
      runId: job.runId,
      jobId: job.jobId,
      attempt: job.attempt,
      algorithm: result.artifact.model.algorithm,
      metrics,
      lineage,
      artifactJson,
      digest,
    });
    context.log(
      `tested on ${result.testRows} rows: RMSE ${fmt(metrics.rmse)}, MAE ${fmt(metrics.mae)}, R² ${fmt(metrics.r2)}; registered model ${modelId} as version ${modelVersion}`,
    );
    await context.completeStep(
      'test',
      {
        modelId,
        ...metrics,
        algorithm: result.artifact.model.algorithm,
        testRows: result.testRows,
        validation: result.validation,
        chain: { ...chain, response },
      },
      [
        {
          type: 'ModelRegistered',
          data: {
            kitId: job.kitId,
            runId: job.runId,
            modelId,
            modelVersion,
            algorithm: result.artifact.model.algorithm,
            deckId: chain.deckId,
            datasetId: String(job.input.datasetId),
            metrics: { ...metrics, testRows: result.testRows },
            r2: metrics.r2,
            hyperparameters: result.artifact.model.hyperparameters as unknown as Record<string, unknown>,
            params: { ...params },
            factors: result.artifact.factors,
            response,
            lineage,
            artifactDigest: digest,
            registeredAt: new Date().toISOString(),
          },
        },
      ],
    );
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

function describe(report: StepReport): string {
  switch (report.step) {
    case 'preprocess':
      return `preprocess: ${report.output.rowsIn} rows in, ${report.output.rowsOut} kept`;
    case 'scaling':
      return `scaling: ${report.output.method}`;
    case 'training':
      return `training: ${report.output.algorithm} on ${report.output.trainingRows} rows, training R² ${fmt(report.output.trainingR2)}`;
  }
}
