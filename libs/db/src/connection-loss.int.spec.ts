import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isConnectionLost } from '@vista/contracts';
import { type TestDatabase, createTestDatabase } from '@vista/testing';
import { sql } from 'kysely';
import { createDatabase, createPool } from './create-database.js';
import { retryOnConnectionLoss } from './connection-retry.js';

describe('a pooled connection whose backend is terminated', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('db_loss');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('fails the transaction holding it cleanly, without an unhandled error, and the pool serves the next query', async () => {
    const kysely = createDatabase<any>({ url: db.url, poolMax: 2, applicationName: 'loss-test' });
    const admin = createPool({ url: db.url, poolMax: 1 });
    try {
      const failure = await kysely
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // Terminated between two statements: the client is checked out and no query is running on it.
          await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await sql`select 1`.execute(trx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(isConnectionLost(failure)).toBe(true);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(kysely);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await kysely.destroy();
      await admin.end();
    }
  });

  it('is retried when the work is safe to repeat, and not when it failed for another reason', async () => {
    const pool = createPool({ url: db.url, poolMax: 2 });
    try {
      let tries = 0;
      const answer = await retryOnConnectionLoss(
        async () => {
          tries++;
          if (tries === 1) {
            const client = await pool.connect();
            const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
            try {
              await client.query('select pg_terminate_backend($1)', [pid]);
            } finally {
              client.release(true);
            }
          }
          return (await pool.query<{ n: number }>('select 41 + 1 as n')).rows[0]!.n;
        },
        { delaysMs: [10] },
      );
      expect([answer, tries]).toEqual([42, 2]);

      let bad = 0;
      await expect(
        retryOnConnectionLoss(async () => {
          bad++;
          await pool.query('select * from no_such_table');
        }),
      ).rejects.toMatchObject({ code: '42P01' });
      expect(bad).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
