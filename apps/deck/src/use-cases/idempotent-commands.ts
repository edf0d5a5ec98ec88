import { Injectable } from '@nestjs/common';
import type { Transaction } from 'kysely';
import { type CommandIdempotencyV1, IdempotencyKeyReusedError, NotFoundError, UnavailableError } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { type IdempotencyId, IdempotentCommandRepository, type StoredCommand } from '../repositories/idempotent-command.repository.js';

/** Writes a prepared command: in the given transaction when there is one, otherwise on its own. */
export type CommandWrite<R> = (trx: Transaction<any> | undefined) => Promise<R>;

export interface Executed<R> {
  readonly result: R;
  /** True when the result is a keyed command's first answer, given again: nothing ran now. */
  readonly replayed: boolean;
}

/**
 * Runs a command at most once per idempotency key. A keyed command's key is claimed, its events
 * appended and its result stored in one transaction, so a duplicate — concurrent (it waits on the
 * key) or later (it finds the row) — gets the first result and changes nothing. Work to do after the
 * commit (scheduling a job) is the caller's, and only when the result was not replayed.
 */
@Injectable()
export class IdempotentCommands {
  constructor(
    private readonly store: EventStore,
    private readonly keys: IdempotentCommandRepository,
  ) {}

  /**
   * `prepare` reads and decides (outside any transaction, so it holds no connection while it waits
   * for others) and returns the write; an unkeyed command just runs.
   */
  async execute<R>(
    command: CommandMessage<{ idempotency?: CommandIdempotencyV1 }>,
    name: string,
    prepare: () => Promise<CommandWrite<R>>,
  ): Promise<Executed<R>> {
    const idempotency = command.payload.idempotency;
    if (!idempotency) return { result: await (await prepare())(undefined), replayed: false };
    const id: IdempotencyId = { scope: command.actor, route: idempotency.route, key: idempotency.key };
    const stored = await this.keys.find(id);
    if (stored) return replay<R>(stored, idempotency, name);
    if (idempotency.replayOnly) throw new NotFoundError(`no request with idempotency key "${idempotency.key}" was answered on ${idempotency.route}`);
    const write = await prepare();
    const written = await this.store.inTransaction(async (trx) => {
      if (!(await this.keys.claim(trx, id, idempotency.requestDigest, name))) return undefined;
      const result = await write(trx);
      await this.keys.complete(trx, id, result);
      return { result };
    });
    if (written) return { result: written.result, replayed: false };
    // Another request with this key committed first.
    const first = await this.keys.find(id);
    if (!first) throw new UnavailableError(`the request with idempotency key "${idempotency.key}" is being answered elsewhere; try again`);
    return replay<R>(first, idempotency, name);
  }
}

function replay<R>(stored: StoredCommand, idempotency: CommandIdempotencyV1, name: string): Executed<R> {
  if (stored.requestDigest !== idempotency.requestDigest || stored.command !== name) {
    throw new IdempotencyKeyReusedError(
      `idempotency key "${idempotency.key}" was already used on ${idempotency.route} for a different request; use a new key for a new request`,
    );
  }
  return { result: stored.result as R, replayed: true };
}
