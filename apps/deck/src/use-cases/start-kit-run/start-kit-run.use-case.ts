import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type StartKitRunResult, type StartKitRunV1, ValidationError } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore, type NewEvent } from '@vista/event-store';
import { DECK_CONFIG, type DeckConfig } from '../../config/deck.config.js';
import { request } from '../../domain/deck-job.js';
import { type DeckRecord, DeckRepository } from '../../repositories/deck.repository.js';
import { runStreamId } from '../../repositories/deck-run.repository.js';
import { CollectDeckUseCase } from '../collect-deck/collect-deck.use-case.js';
import { commandMetadata } from '../command-metadata.js';
import { type CommandWrite, IdempotentCommands } from '../idempotent-commands.js';
import { resolveInside } from '../deck-folder.js';

/**
 * StartKitRun: checks the deck exists before anything starts, then records the run and its
 * PENDING deck-collection job in one append and hands the job to the collector.
 */
@Injectable()
export class StartKitRunUseCase {
  constructor(
    @Inject(DECK_CONFIG) private readonly config: DeckConfig,
    private readonly decks: DeckRepository,
    private readonly store: EventStore,
    private readonly idempotent: IdempotentCommands,
    private readonly collect: CollectDeckUseCase,
  ) {}

  async execute(command: CommandMessage<StartKitRunV1>): Promise<StartKitRunResult> {
    const { result, replayed } = await this.idempotent.execute(command, 'StartKitRun', () => this.prepare(command));
    if (!replayed) this.collect.schedule(result.runId, { actor: command.actor, correlationId: command.correlationId });
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
    const requested = request(undefined, { kitId: payload.kitId, runId, jobId }, now);
    const events: NewEvent[] = [
      {
        type: 'KitRunStarted',
        data: {
          kitId: payload.kitId,
          runId,
          startedAt: now.toISOString(),
          ...(payload.deckId ? { deckId: payload.deckId } : {}),
          ...(payload.sourcePath ? { sourcePath: payload.sourcePath } : {}),
          params: { ...payload.params },
        },
      },
      {
        type: 'DeckCollectionRequested',
        data: {
          ...requested.data,
          timeoutMs: this.config.DECK_JOB_TIMEOUT_MS,
          ...(payload.deckId ? { deckId: payload.deckId } : {}),
          ...(payload.sourcePath ? { sourcePath: payload.sourcePath } : {}),
        },
      },
    ];
    const metadata = commandMetadata(command, { kitId: payload.kitId, runId, jobId });
    return async (trx) => {
      await this.store.append({ streamId: runStreamId(runId), expectedVersion: 0, events }, metadata, trx);
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
