import pg from 'pg';
import { testServers, uniqueId } from './test-environment.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (terminating leftover connections). */
  drop(): Promise<void>;
}

/** Creates a fresh database on the real Postgres for one test file. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `vista_${label.replace(/[^a-z0-9_]/g, '_')}_${uniqueId()}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(testServers.databaseAdminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServers.databaseAdminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
