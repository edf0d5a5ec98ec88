import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely';

/** Migrations by name; names start with a timestamp so they sort in the order they were written. */
export type MigrationSet = Record<string, Migration>;

/**
 * Creates `schema` if needed and runs its pending migrations, recording them in that schema's own
 * migration table, so services never share migration state.
 */
export async function migrateSchema(db: Kysely<any>, schema: string, migrations: MigrationSet): Promise<string[]> {
  assertIdentifier(schema);
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migrating schema "${schema}" failed${failed ? ` at ${failed.migrationName}` : ''}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema and table names are interpolated as identifiers; refuse anything odd early. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a valid lower-case SQL identifier`);
  return name;
}
