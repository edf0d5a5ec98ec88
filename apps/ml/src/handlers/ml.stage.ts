import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type DoeCompletedV1, type EventEnvelope, KitRunParamsV1, validateAs } from '@vista/contracts';
import { StageEvents, StageHostFactory, type StageRunner, type StageTrigger } from '@vista/jobs';
import { ML_CONFIG, ML_SCHEMA, type MlConfig } from '../config/ml.config.js';
import { resolveMlParams } from '../domain/ml-pipeline.js';
import { ML_STAGE } from '../domain/ml-stage.js';
import { RunMlUseCase } from '../use-cases/run-ml/run-ml.use-case.js';

/** DoeCompleted → an ML job (four steps); KitRunStopped / KitRunRetried control it (its handlers are in ml.handlers.ts). The factory starts and stops its host with the application. */
@Injectable()
export class MlStage {
  private readonly logger = new Logger('MlStage');
  readonly runner: StageRunner;
  /** What its event handlers (ml.handlers.ts) hand the stage. */
  readonly events: StageEvents;

  constructor(
    @Inject(ML_CONFIG) private readonly config: MlConfig,
    stages: StageHostFactory,
    runMl: RunMlUseCase,
  ) {
    this.runner = stages.create({
      spec: ML_STAGE,
      schema: ML_SCHEMA,
      work: (job, context) => runMl.execute(job, context),
      logger: this.logger,
      // Every step's request names the dataset the job works on.
      stepRequestFields: (job) => ({ datasetId: job.input.datasetId }),
    }).runner;
    this.events = new StageEvents(this.runner, (event) => this.toTrigger(event as EventEnvelope<DoeCompletedV1 & Record<string, unknown>>));
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
      priority: params.priority ?? 0,
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
    };
  }
}
