import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type DeckCollectionCompletedV1, type EventEnvelope, KitRunParamsV1, validateAs } from '@vista/contracts';
import { StageEvents, StageHostFactory, type StageRunner, type StageTrigger } from '@vista/jobs';
import { DOE_CONFIG, DOE_SCHEMA, type DoeConfig } from '../config/doe.config.js';
import { resolveDoeParams } from '../domain/design-plan.js';
import { DOE_STAGE } from '../domain/doe-stage.js';
import { RunDoeUseCase } from '../use-cases/run-doe/run-doe.use-case.js';

/** DeckCollectionCompleted → a DOE job; KitRunStopped / KitRunRetried control it (its handlers are in doe.handlers.ts). The factory starts and stops its host with the application. */
@Injectable()
export class DoeStage {
  private readonly logger = new Logger('DoeStage');
  readonly runner: StageRunner;
  /** What its event handlers (doe.handlers.ts) hand the stage. */
  readonly events: StageEvents;

  constructor(
    @Inject(DOE_CONFIG) private readonly config: DoeConfig,
    stages: StageHostFactory,
    runDoe: RunDoeUseCase,
  ) {
    this.runner = stages.create({
      spec: DOE_STAGE,
      schema: DOE_SCHEMA,
      work: (job, context) => runDoe.execute(job, context),
      logger: this.logger,
    }).runner;
    this.events = new StageEvents(this.runner, (event) => this.toTrigger(event as EventEnvelope<DeckCollectionCompletedV1 & Record<string, unknown>>));
  }

  private toTrigger(event: EventEnvelope<DeckCollectionCompletedV1>): StageTrigger {
    const p = event.data;
    // Checked when the run started; checked again here, as every consumer checks what it acts on.
    const params = validateAs(KitRunParamsV1, p.params ?? {}, 'the run parameters', { forbidUnknown: true });
    return {
      kitId: p.kitId,
      runId: p.runId,
      jobId: randomUUID(),
      timeoutMs: params.doe?.timeoutMs ?? this.config.DOE_JOB_TIMEOUT_MS,
      fields: {
        deckId: p.deckId,
        design: resolveDoeParams(params.doe),
        chain: {
          deckId: p.deckId,
          factors: p.factors,
          responses: p.responses,
          response: params.response ?? p.responses[0],
          params: p.params ?? {},
        },
      },
      priority: params.priority ?? 0,
      causationId: event.eventId,
      correlationId: event.metadata.correlationId,
    };
  }
}
