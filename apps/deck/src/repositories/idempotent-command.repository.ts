import { Inject, Injectable } from '@nestjs/common';
import { type ColumnType, type Kysely, type Transaction, sql } from 'kysely';
import { IDEMPOTENCY_TTL_HOURS } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { DECK_SCHEMA } from '../config/deck.config.js';

/** `deck.idempotent_commands`: one row per keyed command that ran, with its result. */
export interface IdempotentCommandTable {
  /** Whose key it is (the command's actor): keys never collide across callers. */
  scope: string;
  route: string;
  idempotency_key: string;
  request_digest: string;
  command: string;
  result: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, never, never>;
}

export interface IdempotentCommandDb {
  idempotent_commands: IdempotentCommandTable;
}

export interface IdempotencyId {
  readonly scope: string;
  readonly route: string;
  readonly key: string;
}

export interface StoredCommand {
  readonly requestDigest: string;
  readonly command: string;
  readonly result: unknown;
}

/** Expired rows deleted by one claim: enough to keep up, small enough to stay cheap. */
const PURGE_BATCH = 100;
const expiredBefore = sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`;

/** Keyed commands of the deck service; rows older than the idempotency window count as absent. */
@Injectable()
export class IdempotentCommandRepository {
  private readonly db: Kysely<IdempotentCommandDb>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<IdempotentCommandDb>).withSchema(DECK_SCHEMA);
  }

  /** The committed command under this key, unless it has expired. */
  async find(id: IdempotencyId): Promise<StoredCommand | undefined> {
    const row = await this.db
      .selectFrom('idempotent_commands')
      .select(['request_digest', 'command', 'result'])
      .where('scope', '=', id.scope)
      .where('route', '=', id.route)
      .where('idempotency_key', '=', id.key)
      .where('created_at', '>', expiredBefore)
      .executeTakeFirst();
    return row && { requestDigest: row.request_digest, command: row.command, result: row.result };
  }

  /**
   * Takes the key in the caller's transaction; false when another request holds it. A concurrent
   * holder makes this wait (on the primary key) until it commits or rolls back.
   */
  async claim(trx: Transaction<any>, id: IdempotencyId, requestDigest: string, command: string): Promise<boolean> {
    const db = (trx as Transaction<IdempotentCommandDb>).withSchema(DECK_SCHEMA);
    // Purge a few expired rows (skipping any another claim is purging), this key's own expired row among them.
    await sql`
      delete from ${sql.id(DECK_SCHEMA, 'idempotent_commands')} where ctid in (
        select ctid from ${sql.id(DECK_SCHEMA, 'idempotent_commands')}
        where created_at <= ${expiredBefore} limit ${PURGE_BATCH} for update skip locked)`.execute(trx);
    await db
      .deleteFrom('idempotent_commands')
      .where('scope', '=', id.scope)
      .where('route', '=', id.route)
      .where('idempotency_key', '=', id.key)
      .where('created_at', '<=', expiredBefore)
      .execute();
    const inserted = await db
      .insertInto('idempotent_commands')
      .values({ scope: id.scope, route: id.route, idempotency_key: id.key, request_digest: requestDigest, command, result: 'null' })
      .onConflict((oc) => oc.columns(['scope', 'route', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Stores the result of the command that claimed the key, in the same transaction. */
  async complete(trx: Transaction<any>, id: IdempotencyId, result: unknown): Promise<void> {
    await (trx as Transaction<IdempotentCommandDb>)
      .withSchema(DECK_SCHEMA)
      .updateTable('idempotent_commands')
      .set({ result: JSON.stringify(result) })
      .where('scope', '=', id.scope)
      .where('route', '=', id.route)
      .where('idempotency_key', '=', id.key)
      .execute();
  }
}
