import { type Kysely, type Migration, sql } from 'kysely';
import { assertIdentifier, type MigrationSet } from '@vista/db';
import { READ_MODEL_MIGRATIONS, READ_MODEL_TABLES, type ReadModelMigrationName } from './tables/index.js';

/** One migration of the read model: what each table declares under its name, tables in order (down: reversed). */
export function readModelMigration(name: ReadModelMigrationName, schema: string): Migration {
  assertIdentifier(schema);
  const s = sql.id(schema);
  const steps = READ_MODEL_TABLES.flatMap((table) => table.migrations[name] ?? []);
  return {
    async up(db: Kysely<any>) {
      for (const step of steps) for (const statement of step.up(s)) await statement.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const step of [...steps].reverse()) for (const statement of step.down(s)) await statement.execute(db);
    },
  };
}

/**
 * The read model's migrations for one schema: `read` when serving, `read_rebuild_<id>` while a
 * rebuild fills fresh tables that are then swapped in.
 */
export const readModelMigrations = (schema: string): MigrationSet => {
  assertIdentifier(schema);
  return Object.fromEntries(READ_MODEL_MIGRATIONS.map((name) => [name, readModelMigration(name, schema)]));
};
