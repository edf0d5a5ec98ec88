import { sql } from 'kysely';
import { CREATE } from './migration-names.js';
import { defineTable } from './table.js';

/** Events without a history row (run starts, decks, models), so a re-published copy is recognised. */
export interface FoldedEventsTable {
  event_id: string;
  type: string;
  position: number;
}

export type FoldedEventRow = FoldedEventsTable;

export const foldedEventsTable = defineTable<FoldedEventRow>({
  name: 'folded_events',
  columns: { event_id: 'uuid', type: 'text', position: 'bigint' },
  migrations: {
    [CREATE]: {
      up: (s) => [
        sql`
          create table ${s}.folded_events (
            event_id uuid primary key,
            type text not null,
            position bigint not null
          )`,
      ],
      down: (s) => [sql`drop table ${s}.folded_events`],
    },
  },
});
