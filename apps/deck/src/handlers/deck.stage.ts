import { Injectable, Logger } from '@nestjs/common';
import { StageHostFactory, type StageRunner } from '@vista/jobs';
import { DECK_SCHEMA } from '../config/deck.config.js';
import { DECK_STAGE } from '../domain/deck-stage.js';
import { CollectDeckUseCase } from '../use-cases/collect-deck/collect-deck.use-case.js';

/**
 * The deck-collection jobs, on the same runner as every stage: a run's commands (start, stop, retry)
 * request and control them; the factory starts and stops the host with the application.
 */
@Injectable()
export class DeckStage {
  private readonly logger = new Logger('DeckStage');
  readonly runner: StageRunner;

  constructor(stages: StageHostFactory, collectDeck: CollectDeckUseCase) {
    this.runner = stages.create({
      spec: DECK_STAGE,
      schema: DECK_SCHEMA,
      work: (job, context) => collectDeck.execute(job, context),
      logger: this.logger,
    }).runner;
  }
}
