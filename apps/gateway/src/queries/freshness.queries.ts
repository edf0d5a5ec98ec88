import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import type { Kysely } from 'kysely';
import type { Response } from 'express';
import type { Freshness } from '../dto/kit.response.js';
import { POSITION_HEADER } from '../http/etag.js';
import { READ_SCHEMA, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';

/**
 * How fresh a list is: the projector's position read before the list (every event up to it is in the
 * rows shown) and its lag. Lists answer it in `freshness` and in the `Vista-Position` header.
 */
@Injectable()
export class FreshnessQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  async current(): Promise<Freshness> {
    const row = await this.db.selectFrom('projector_status').selectAll().where('projector', '=', 'projector').executeTakeFirst();
    if (!row) return { position: 0, projector: null };
    return {
      position: row.position,
      projector: { position: row.position, lagEvents: row.lag_events, lagSeconds: row.lag_seconds, heartbeatAt: iso(row.heartbeat_at) },
    };
  }

  /** Reads the freshness, runs the list, and marks the answer with the position (lists are never cached as fresh). */
  async around<T>(res: Response, list: () => Promise<T>): Promise<T & { freshness: Freshness }> {
    const freshness = await this.current();
    const page = await list();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader(POSITION_HEADER, String(freshness.position));
    return { ...page, freshness };
  }
}
