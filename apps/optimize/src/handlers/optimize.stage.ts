import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type EventEnvelope, KitRunParamsV1, type MlTestCompletedV1, validateAs } from '@vista/contracts';
import { type StageHost, StageHostFactory, type StageTrigger } from '@vista/jobs';
import { OPTIMIZE_CONFIG, OPTIMIZE_SCHEMA, type OptimizeConfig } from '../config/optimize.config.js';
import { resolveOptimizeParams } from '../domain/optimization-plan.js';
import { OPTIMIZE_STAGE } from '../domain/optimize-stage.js';
import { RunOptimizationUseCase } from '../use-cases/run-optimization/run-optimization.use-case.js';

/** MlTestCompleted → an optimisation job; KitRunStopped / KitRunRetried control it. */
@Injectable()
export class OptimizeStage implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OptimizeStage');
  readonly host: StageHost;

  constructor(
    @Inject(OPTIMIZE_CONFIG) private readonly config: OptimizeConfig,
    stages: StageHostFactory,
    runOptimization: RunOptimizationUseCase,
  ) {
    this.host = stages.create({
      spec: OPTIMIZE_STAGE,
      schema: OPTIMIZE_SCHEMA,
      triggerType: 'MlTestCompleted',
      toTrigger: (event) => this.toTrigger(event as EventEnvelope<MlTestCompletedV1 & Record<string, unknown>>),
      work: (job, context) => runOptimization.execute(job, context),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.host.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.host.stop();
  }

  private toTrigger(event: EventEnvelope<MlTestCompletedV1>): StageTrigger {
    const p = event.data;
    const params = validateAs(KitRunParamsV1, p.chain.params, 'the run parameters', { forbidUnknown: true });
    return {
      kitId: p.kitId,
      runId: p.runId,
      jobId: randomUUID(),
      timeoutMs: params.optimize?.timeoutMs ?? this.config.OPTIMIZE_JOB_TIMEOUT_MS,
      fields: { modelId: p.modelId, goal: { ...resolveOptimizeParams(params.optimize) }, chain: p.chain },
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
    };
  }
}
