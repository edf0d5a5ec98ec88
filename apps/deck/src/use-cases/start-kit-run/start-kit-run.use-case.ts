import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type StartKitRunResult, type StartKitRunV1, ValidationError } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { DECK_CONFIG, type DeckConfig } from '../../config/deck.config.js';
import { DeckStage } from '../../handlers/deck.stage.js';
import { type DeckRecord, DeckRepository } from '../../repositories/deck.repository.js';
import { resolveInside } from '../deck-folder.js';
import { type CommandWrite, IdempotentCommands } from '../idempotent-commands.js';

/**
 * StartKitRun: checks the deck exists before anything starts, then records the run and its
 * deck-collection job (requested and QUEUED) in one append, the job put in the queue with it.
 */
@Injectable()
export class StartKitRunUseCase {
  constructor(
    @Inject(DECK_CONFIG) private readonly config: DeckConfig,
    private readonly decks: DeckRepository,
    private readonly stage: DeckStage,
    private readonly idempotent: IdempotentCommands,
  ) {}

  async execute(command: CommandMessage<StartKitRunV1>): Promise<StartKitRunResult> {
    const { result, replayed } = await this.idempotent.execute(command, 'StartKitRun', () => this.prepare(command));
    // The job was queued in the command's transaction: take it now that it is committed.
    if (!replayed) this.stage.runner.pump();
    return result;
  }

  private async prepare(command: CommandMessage<StartKitRunV1>): Promise<CommandWrite<StartKitRunResult>> {
    const { payload } = command;
    if (payload.deckId !== undefined && payload.sourcePath !== undefined) {
      throw new ValidationError('give either deckId or sourcePath, not both', [{ path: 'deckId', message: 'exclusive with sourcePath' }]);
    }
    if (payload.deckId !== undefined) {
      const deck = await this.decks.find(payload.deckId);
      if (!deck) throw new NotFoundError(`deck ${payload.deckId} does not exist`);
      assertParamsFitDeck(payload.params, deck);
    }
    if (payload.sourcePath !== undefined) await this.assertSourceExists(payload.sourcePath);

    const now = new Date();
    const runId = randomUUID();
    const jobId = randomUUID();
    const source = { ...(payload.deckId ? { deckId: payload.deckId } : {}), ...(payload.sourcePath ? { sourcePath: payload.sourcePath } : {}) };
    return async (trx) => {
      await this.stage.runner.request(
        {
          kitId: payload.kitId,
          runId,
          jobId,
          timeoutMs: this.config.DECK_JOB_TIMEOUT_MS,
          fields: source,
          priority: payload.params?.priority ?? 0,
          correlationId: command.correlationId,
          actor: command.actor,
          leading: [{ type: 'KitRunStarted', data: { kitId: payload.kitId, runId, startedAt: now.toISOString(), ...source, params: { ...payload.params } } }],
        },
        trx,
      );
      return { kitId: payload.kitId, runId, jobId };
    };
  }

  private async assertSourceExists(sourcePath: string): Promise<void> {
    const root = this.config.DECK_SOURCE_DIR;
    if (!root)
      throw new ValidationError('this deployment reads no deck files (DECK_SOURCE_DIR is not set); upload the deck instead', [
        { path: 'sourcePath', message: 'no deck folder configured' },
      ]);
    const file = resolveInside(root, sourcePath);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new NotFoundError(`deck file ${sourcePath} does not exist in the deck folder`);
  }
}

/** Parameters that name columns must name the deck's own (checked here when the deck is already known). */
function assertParamsFitDeck(params: StartKitRunV1['params'], deck: DeckRecord): void {
  const issues: { path: string; message: string }[] = [];
  if (params?.response !== undefined && !deck.responses.includes(params.response)) {
    issues.push({ path: 'params.response', message: `the deck has no response "${params.response}" (it has ${deck.responses.join(', ')})` });
  }
  for (const [path, bounds] of [
    ['params.doe.bounds', params?.doe?.bounds],
    ['params.optimize.bounds', params?.optimize?.bounds],
  ] as const) {
    const unknown = Object.keys(bounds ?? {}).filter((factor) => !deck.factors.includes(factor));
    if (unknown.length > 0) issues.push({ path, message: `the deck has no factor ${unknown.join(', ')} (it has ${deck.factors.join(', ')})` });
  }
  if (issues.length > 0) throw new ValidationError(`the run's parameters do not fit deck ${deck.deckId}: ${issues.map((i) => i.message).join('; ')}`, issues);
}
