import { describe, expect, it } from '@jest/globals';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely';
import { preparedQuery } from './prepared-query.js';

interface Database {
  kits: { kit_id: number; status: string; owner: string | null };
}

/** A Kysely on no server: it records what it would send. */
function recordingDb(): { db: Kysely<Database>; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') sent.push(event.query);
    },
  });
  return { db, sent };
}

describe('preparedQuery', () => {
  it("sends the statement it compiled, with each call's values in its arguments' places and the constants kept", async () => {
    const { db, sent } = recordingDb();
    const read = db.withSchema('read');
    const byOwner = preparedQuery((owner: string, limit: number) =>
      read.selectFrom('kits').select('kit_id').where('status', '=', 'SUCCESS').where('owner', '=', owner).orderBy('kit_id').limit(limit),
    );

    await byOwner.execute(read, 'u-1', 20);
    await db.transaction().execute((trx) => byOwner.execute(trx.withSchema('read'), 'u-2', 5));

    const direct = read.selectFrom('kits').select('kit_id').where('status', '=', 'SUCCESS').where('owner', '=', 'u-1').orderBy('kit_id').limit(20).compile();
    expect(sent.map((q) => q.sql)).toEqual([direct.sql, direct.sql]);
    expect(sent[0]!.sql).toContain('"read"."kits"');
    expect(sent.map((q) => q.parameters)).toEqual([
      ['SUCCESS', 'u-1', 20],
      ['SUCCESS', 'u-2', 5],
    ]);
  });

  it('refuses a query that does not use one of its arguments as a value', () => {
    const { db } = recordingDb();
    expect(() => preparedQuery((kitId: number, _unused: string) => db.selectFrom('kits').selectAll().where('kit_id', '=', kitId))).toThrow(
      /must use each of its 2 arguments as a value/,
    );
  });
});
