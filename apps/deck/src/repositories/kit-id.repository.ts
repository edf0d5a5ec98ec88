import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '@vista/db';
import { DECK_SCHEMA } from '../config/deck.config.js';

/** Ids of kits: allocated for kits created as named tasks, and who started a kit started by id. */
@Injectable()
export class KitIdRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  /** The next id of the sequence that no run has used (a kit started by id took it first). */
  async next(): Promise<number> {
    const { rows } = await sql<{ kit_id: number }>`
      with recursive candidate(kit_id) as (
        select nextval(${`${DECK_SCHEMA}.kit_ids`}::regclass)::integer
        union all
        select nextval(${`${DECK_SCHEMA}.kit_ids`}::regclass)::integer from candidate c
        where exists (select 1 from ${sql.id(DECK_SCHEMA, 'events')} e where e.type = 'KitRunStarted' and (e.data ->> 'kitId')::integer = c.kit_id)
      )
      select max(kit_id) as kit_id from candidate`.execute(this.db);
    return Number(rows[0]!.kit_id);
  }

  /** Who started the kit's first run (its owner), or undefined when no run of it was started. */
  async firstStarter(kitId: number): Promise<string | undefined> {
    const { rows } = await sql<{ actor: string }>`
      select metadata ->> 'actor' as actor from ${sql.id(DECK_SCHEMA, 'events')}
      where type = 'KitRunStarted' and (data ->> 'kitId')::integer = ${kitId}
      order by global_position limit 1`.execute(this.db);
    return rows[0]?.actor;
  }
}
