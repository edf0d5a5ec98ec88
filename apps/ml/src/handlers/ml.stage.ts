import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type DoeCompletedV1, type EventEnvelope, KitRunParamsV1, validateAs } from '@vista/contracts';
import { StageHostFactory, type StageTrigger } from '@vista/jobs';
import { ML_CONFIG, ML_SCHEMA, type MlConfig } from '../config/ml.config.js';
import { resolveMlParams } from '../domain/ml-pipeline.js';
import { ML_STAGE } from '../domain/ml-stage.js';
import { RunMlUseCase } from '../use-cases/run-ml/run-ml.use-case.js';

/** DoeCompleted → an ML job (four steps); KitRunStopped / KitRunRetried control it. The factory starts and stops its host with the application. */
@Injectable()
export class MlStage {
  private readonly logger = new Logger('MlStage');

  constructor(
    @Inject(ML_CONFIG) private readonly config: MlConfig,
    stages: StageHostFactory,
    runMl: RunMlUseCase,
  ) {
    stages.create({
      spec: ML_STAGE,
      schema: ML_SCHEMA,
      triggerType: 'DoeCompleted',
      toTrigger: (event) => this.toTrigger(event as EventEnvelope<DoeCompletedV1 & Record<string, unknown>>),
      work: (job, context) => runMl.execute(job, context),
      logger: this.logger,
      // Every step's request names the dataset the job works on.
      stepRequestFields: (job) => ({ datasetId: job.input.datasetId }),
    });
  }

  private toTrigger(event: EventEnvelope<DoeCompletedV1>): StageTrigger {
    const p = event.data;
    const params = validateAs(KitRunParamsV1, p.chain.params, 'the run parameters', { forbidUnknown: true });
    return {
      kitId: p.kitId,
      runId: p.runId,
      jobId: randomUUID(),
      timeoutMs: params.ml?.timeoutMs ?? this.config.ML_JOB_TIMEOUT_MS,
      fields: { datasetId: p.datasetId, ml: resolveMlParams(params.ml), chain: { ...p.chain, datasetId: p.datasetId, designType: p.designType } },
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
    };
  }
}
