import { Injectable } from '@nestjs/common';
import type { ChainContextV1 } from '@vista/contracts';
import { ArtifactsBucket, artifactName } from '@vista/bus';
import type { StageJob, StageWorkContext } from '@vista/jobs';
import { EVENT_TRACE_LIMIT, type OptimizationOutcome, type ResolvedOptimizeParams } from '../../domain/optimization-plan.js';
import { ResultRepository } from '../../repositories/result.repository.js';
import type { OptimizationTaskInput } from '../../workers/optimization.worker.js';

/** The service's worker module (preloaded by every worker of its pool). */
export const OPTIMIZATION_WORKER = new URL('../../workers/optimization.worker.js', import.meta.url);

/** An optimisation job's work: loads the tested model and searches its factor space in a worker thread. */
@Injectable()
export class RunOptimizationUseCase {
  constructor(
    private readonly artifacts: ArtifactsBucket,
    private readonly results: ResultRepository,
  ) {}

  async execute(job: StageJob, context: StageWorkContext): Promise<void> {
    const chain = job.input.chain as ChainContextV1;
    const params = job.input.goal as unknown as ResolvedOptimizeParams;
    const modelId = String(job.input.modelId);
    const artifactJson = await this.artifacts.get(artifactName.model(modelId));
    const datasetJson = params.tuneHyperparameters && chain.datasetId ? await this.artifacts.get(artifactName.dataset(chain.datasetId)) : undefined;
    context.log(
      `${params.goal}${params.target !== undefined ? ` ${params.target}` : ''} of model ${modelId}: ${params.starts} starts${params.tuneHyperparameters ? ', tuning hyperparameters' : ''}`,
    );
    const outcome = await context.runTask<OptimizationTaskInput, string, OptimizationOutcome>(OPTIMIZATION_WORKER, {
      artifactJson,
      params,
      ...(datasetJson ? { datasetJson } : {}),
    });
    const goal = { kind: params.goal, ...(params.target !== undefined ? { target: params.target } : {}) };
    await this.results.save({
      jobId: job.jobId,
      attempt: job.attempt,
      runId: job.runId,
      modelId,
      result: { ...outcome, trace: undefined, goal },
      trace: outcome.trace,
    });
    context.log(`best after ${outcome.evaluations} evaluations: ${JSON.stringify(outcome.bestFactors)} → ${JSON.stringify(outcome.predicted)}`);
    await context.completeStep('optimize', {
      modelId,
      bestFactors: outcome.bestFactors,
      predicted: outcome.predicted,
      evaluations: outcome.evaluations,
      goal,
      objective: outcome.objective,
      starts: outcome.starts,
      bounds: outcome.bounds,
      trace: downsample(outcome.trace, EVENT_TRACE_LIMIT),
      ...(outcome.tuning ? { tuning: outcome.tuning } : {}),
    });
  }
}

/** At most `limit` entries, always keeping the first and the last (the best). */
function downsample<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const step = (items.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => items[Math.round(i * step)]!);
}
