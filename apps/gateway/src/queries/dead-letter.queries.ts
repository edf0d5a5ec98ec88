import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import type { Kysely, Selectable } from 'kysely';
import { ValidationError } from '@vista/contracts';
import type { DeadLettersTable } from '@vista/read-model';
import type { DeadLetter, DeadLetterQuery } from '../dto/dead-letter.response.js';
import { READ_SCHEMA } from './read-model.tables.js';

interface DeadLetterDatabase {
  dead_letters: DeadLettersTable;
}

/** Reads `read.dead_letters`, newest first, by keyset (dead_lettered_at, id). */
@Injectable()
export class DeadLetterQueries {
  private readonly db: Kysely<DeadLetterDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<DeadLetterDatabase>).withSchema(READ_SCHEMA);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const row = await this.db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDeadLetter(row) : undefined;
  }

  async list(query: DeadLetterQuery): Promise<{ items: DeadLetter[]; nextBefore: string | null }> {
    let select = this.db.selectFrom('dead_letters').selectAll();
    if (query.consumer !== undefined) select = select.where('consumer', '=', query.consumer);
    if (query.source !== undefined) select = select.where('source', '=', query.source);
    if (query.before !== undefined) {
      const cut = query.before.lastIndexOf('_');
      const at = new Date(query.before.slice(0, cut));
      const id = query.before.slice(cut + 1);
      if (Number.isNaN(at.getTime()))
        throw new ValidationError('before must be a nextBefore cursor of a previous page', [{ path: 'before', message: 'not a cursor' }]);
      select = select.where((eb) => eb.or([eb('dead_lettered_at', '<', at), eb.and([eb('dead_lettered_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await select.orderBy('dead_lettered_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    const items = rows.map(toDeadLetter);
    const last = rows[rows.length - 1];
    return { items, nextBefore: rows.length === query.limit && last ? `${last.dead_lettered_at.toISOString()}_${last.id}` : null };
  }
}

function toDeadLetter(row: Selectable<DeadLettersTable>): DeadLetter {
  return {
    id: row.id,
    source: row.source,
    consumer: row.consumer,
    streamSequence: Number(row.stream_seq),
    subject: row.subject,
    eventId: row.event_id,
    type: row.type,
    reason: row.reason,
    deliveries: row.deliveries,
    replayable: row.body !== null && row.subject !== null,
    deadLetteredAt: row.dead_lettered_at.toISOString(),
    replays: row.replays,
    replayedAt: row.replayed_at ? row.replayed_at.toISOString() : null,
  };
}
