import { type Kysely, sql } from 'kysely';
import { assertIdentifier } from '@vista/db';
import type { ReadModelSnapshot } from '../domain/in-memory-read-model.js';
import { keyOf, MERGE_RULES } from '../domain/merge-rules.js';
import type { UpsertTable } from '../domain/read-model.rows.js';

/**
 * Every table of a read schema as plain rows (timestamps as ISO strings, state_history without its
 * serial id), ordered like `InMemoryReadModel.snapshot()`: what a rebuild or a replay must reproduce.
 */
export async function readSnapshot(db: Kysely<any>, schema: string): Promise<ReadModelSnapshot> {
  const s = sql.id(assertIdentifier(schema));
  const all = async (table: string, orderBy = sql`1`) =>
    (await sql<Record<string, unknown>>`select * from ${s}.${sql.id(table)} order by ${orderBy}`.execute(db)).rows.map(plain);
  const keyed = async <T extends UpsertTable>(table: T) => {
    const rows = await all(table);
    return rows
      .map((row) => ({ key: keyOf(MERGE_RULES[table], row as never), row }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((x) => x.row) as never;
  };
  const history = await all('state_history', sql`position`);
  return {
    kits: await keyed('kits'),
    runs: await keyed('runs'),
    kit_state: await keyed('kit_state'),
    state_history: history as never,
    folded_events: (await all('folded_events', sql`position`)) as never,
    deck_collection: await keyed('deck_collection'),
    doe_step: await keyed('doe_step'),
    ml_step: await keyed('ml_step'),
    optimize_step: await keyed('optimize_step'),
    decks: await keyed('decks'),
    models: await keyed('models'),
    users: await keyed('users'),
    role_requests: await keyed('role_requests'),
    setup_models: await keyed('setup_models'),
    model_access: await keyed('model_access'),
    deactivated_users: await keyed('deactivated_users'),
    projects: await keyed('projects'),
    job_logs: (await all('job_logs', sql`position, seq`)) as never,
  };
}

function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
