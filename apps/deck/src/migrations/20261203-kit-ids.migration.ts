import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Ids of kits created as named tasks. Kits started by id (`POST /kits/{kitId}/runs`) take ids of
 * their own choosing; the allocator skips any id a run already used.
 */
export const kitIdsMigration = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    await sql`create sequence ${sql.id(schema, 'kit_ids')} as integer minvalue 1`.execute(db);
    // Finding whether a run used an id is then an index lookup, not a scan of the log.
    await sql`create index events_kit_run_started on ${sql.id(schema, 'events')} (((data ->> 'kitId')::integer)) where type = 'KitRunStarted'`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop index ${sql.id(schema, 'events_kit_run_started')}`.execute(db);
    await sql`drop sequence ${sql.id(schema, 'kit_ids')}`.execute(db);
  },
});
