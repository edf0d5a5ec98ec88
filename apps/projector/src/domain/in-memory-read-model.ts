import type { DeliveredEvent } from '@vista/contracts';
import { keyOf, MERGE_RULES, mergeRow } from './merge-rules.js';
import { appliedMarkers, foldEvents } from './read-model.fold.js';
import type { FoldedEventRow, HistoryRow, JobLogRow, KitRow, UpsertRows, UpsertTable } from './read-model.rows.js';

/** Every table of the read model as plain rows, ordered by key (state_history without its serial id). */
export interface ReadModelSnapshot {
  kits: KitRow[];
  runs: UpsertRows['runs'][];
  kit_state: UpsertRows['kit_state'][];
  state_history: HistoryRow[];
  folded_events: FoldedEventRow[];
  deck_collection: UpsertRows['deck_collection'][];
  doe_step: UpsertRows['doe_step'][];
  ml_step: UpsertRows['ml_step'][];
  optimize_step: UpsertRows['optimize_step'][];
  decks: UpsertRows['decks'][];
  models: UpsertRows['models'][];
  users: UpsertRows['users'][];
  role_requests: UpsertRows['role_requests'][];
  setup_models: UpsertRows['setup_models'][];
  model_access: UpsertRows['model_access'][];
  deactivated_users: UpsertRows['deactivated_users'][];
  projects: UpsertRows['projects'][];
  /** By position, then line. */
  job_logs: JobLogRow[];
}

/**
 * The read model held in memory, applying batches exactly as the repository does in Postgres:
 * events already marked are skipped, the rest folded and merged by the same rules. The reference
 * the database is compared with.
 */
export class InMemoryReadModel {
  private readonly history = new Map<string, HistoryRow>();
  private readonly folded = new Map<string, FoldedEventRow>();
  private readonly jobLogs = new Map<string, JobLogRow>();
  private readonly tables = Object.fromEntries(Object.keys(MERGE_RULES).map((t) => [t, new Map()])) as {
    [T in UpsertTable]: Map<string, UpsertRows[T]>;
  };

  /** Applies one batch; returns how many of its events were new. */
  apply(events: readonly DeliveredEvent<object>[]): number {
    const markers = appliedMarkers(events);
    const fresh = new Set<string>();
    for (const row of markers.history) {
      if (this.history.has(row.event_id) || this.folded.has(row.event_id)) continue;
      this.history.set(row.event_id, row);
      fresh.add(row.event_id);
    }
    for (const row of markers.folded) {
      if (this.history.has(row.event_id) || this.folded.has(row.event_id)) continue;
      this.folded.set(row.event_id, row);
      fresh.add(row.event_id);
    }
    const changes = foldEvents(events.filter((e) => fresh.has(e.envelope.eventId)));
    for (const table of Object.keys(changes.rows) as UpsertTable[]) this.upsert(table, changes.rows[table]);
    for (const line of changes.jobLogs) {
      const key = `${line.event_id}\u0000${line.seq}`;
      if (!this.jobLogs.has(key)) this.jobLogs.set(key, line);
    }
    return fresh.size;
  }

  snapshot(): ReadModelSnapshot {
    const rows = <T extends UpsertTable>(table: T): UpsertRows[T][] =>
      [...this.tables[table].entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => ({ ...row }));
    return {
      kits: rows('kits'),
      runs: rows('runs'),
      kit_state: rows('kit_state'),
      state_history: [...this.history.values()].sort((a, b) => a.position - b.position),
      folded_events: [...this.folded.values()].sort((a, b) => a.position - b.position),
      deck_collection: rows('deck_collection'),
      doe_step: rows('doe_step'),
      ml_step: rows('ml_step'),
      optimize_step: rows('optimize_step'),
      decks: rows('decks'),
      models: rows('models'),
      users: rows('users'),
      role_requests: rows('role_requests'),
      setup_models: rows('setup_models'),
      model_access: rows('model_access'),
      deactivated_users: rows('deactivated_users'),
      projects: rows('projects'),
      job_logs: [...this.jobLogs.values()].sort((a, b) => a.position - b.position || a.seq - b.seq).map((row) => ({ ...row })),
    };
  }

  private upsert<T extends UpsertTable>(table: T, rows: UpsertRows[T][]): void {
    const rule = MERGE_RULES[table];
    for (const row of rows) {
      const key = keyOf(rule, row);
      const existing = this.tables[table].get(key);
      this.tables[table].set(key, existing ? mergeRow(rule, existing, row) : row);
    }
  }
}
