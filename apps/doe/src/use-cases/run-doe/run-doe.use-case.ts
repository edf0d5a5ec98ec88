import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ChainContextV1, type TableArtifact } from '@vista/contracts';
import { ArtifactsBucket, artifactName } from '@vista/bus';
import type { StageJob, StageWorkContext } from '@vista/jobs';
import type { ResolvedDoeParams } from '../../domain/design-plan.js';
import { responseSummary } from '../../domain/design-plan.js';
import { ExternalEvaluator } from '../../labelling/external-evaluator.js';
import { DatasetRepository } from '../../repositories/dataset.repository.js';
import type { DesignTaskInput, DesignTaskResult } from '../../workers/design.worker.js';

/** The service's worker module (preloaded by every worker of its pool). */
export const DESIGN_WORKER = new URL('../../workers/design.worker.js', import.meta.url);

/**
 * A DOE job's work: reads the collected deck, generates the design over its factor ranges in a
 * worker thread, labels the points (interpolated from the deck, or by the external evaluator),
 * stores the labelled dataset and hands it to ML through the artifacts bucket.
 */
@Injectable()
export class RunDoeUseCase {
  constructor(
    private readonly artifacts: ArtifactsBucket,
    private readonly datasets: DatasetRepository,
    private readonly evaluator: ExternalEvaluator,
  ) {}

  async execute(job: StageJob, context: StageWorkContext): Promise<void> {
    const chain = job.input.chain as ChainContextV1;
    const params = job.input.design as ResolvedDoeParams;
    const deckJson = await this.artifacts.get(artifactName.deck(chain.deckId));
    context.log(`designing over deck ${chain.deckId}: ${params.design}, labelling by ${params.labelling}`);
    const plan = await context.runTask<DesignTaskInput, string, DesignTaskResult>(DESIGN_WORKER, { deckJson, params }, (message) => context.log(message));
    const labels = plan.labels ?? (await this.evaluator.label(plan.factors, plan.responses, plan.points, context.signal));
    if (!plan.labels) context.log(`labelled ${labels.length} points through the external evaluator`);

    const table: TableArtifact = {
      columns: [...plan.factors, ...plan.responses],
      factors: plan.factors,
      responses: plan.responses,
      rows: plan.points.map((point, i) => [...point, ...labels[i]!]),
    };
    const datasetId = randomUUID();
    const contentJson = JSON.stringify(table);
    const dataInfo = {
      ...plan.info,
      designType: params.design,
      pointCount: plan.points.length,
      factors: plan.factors,
      responses: plan.responses,
      bounds: plan.bounds,
      labelling: { method: params.labelling, ...(plan.labelling ? { interpolators: plan.labelling } : {}) },
      responseSummary: responseSummary(plan.responses, labels),
      seed: params.seed,
    };
    const digest = await this.artifacts.put(artifactName.dataset(datasetId), contentJson);
    await this.datasets.insert({
      datasetId,
      runId: job.runId,
      jobId: job.jobId,
      attempt: job.attempt,
      designType: params.design,
      pointCount: plan.points.length,
      dataInfo,
      contentJson,
      digest,
    });
    context.log(`stored dataset ${datasetId} (${plan.points.length} rows, ${digest})`);
    await context.completeStep('doe', {
      designType: params.design,
      pointCount: plan.points.length,
      datasetId,
      dataInfo: { ...dataInfo, datasetId, digest },
      chain: { ...chain, datasetId, designType: params.design, bounds: plan.bounds },
    });
  }
}
