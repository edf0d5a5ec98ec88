import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EventEnvelope, KitRunParamsV1, type MlTestCompletedV1, validateAs } from '@vista/contracts';
import { StageEvents, StageHostFactory, type StageRunner, type StageTrigger } from '@vista/jobs';
import { OPTIMIZE_CONFIG, OPTIMIZE_SCHEMA, type OptimizeConfig } from '../config/optimize.config.js';
import { resolveOptimizeParams } from '../domain/optimization-plan.js';
import { OPTIMIZE_STAGE } from '../domain/optimize-stage.js';
import { RunOptimizationUseCase } from '../use-cases/run-optimization/run-optimization.use-case.js';

/** MlTestCompleted → an optimisation job; KitRunStopped / KitRunRetried control it (its handlers are in optimize.handlers.ts). The factory starts and stops its host with the application. */
@Injectable()
export class OptimizeStage {
  private readonly logger = new Logger('OptimizeStage');
  readonly runner: StageRunner;
  /** What its event handlers (optimize.handlers.ts) hand the stage. */
  readonly events: StageEvents;

  constructor(
    @Inject(OPTIMIZE_CONFIG) private readonly config: OptimizeConfig,
    stages: StageHostFactory,
    runOptimization: RunOptimizationUseCase,
  ) {
    this.runner = stages.create({
      spec: OPTIMIZE_STAGE,
      schema: OPTIMIZE_SCHEMA,
      work: (job, context) => runOptimization.execute(job, context),
      logger: this.logger,
    }).runner;
    this.events = new StageEvents(this.runner, (event) => this.toTrigger(event as EventEnvelope<MlTestCompletedV1 & Record<string, unknown>>));
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
      priority: params.priority ?? 0,
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
    };
  }
}
