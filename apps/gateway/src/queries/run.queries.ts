import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import type { Kysely } from 'kysely';
import type { Run } from '../dto/run.response.js';
import { READ_SCHEMA, type ReadDatabase, type RunsTable } from './read-model.tables.js';
import { iso } from './row-mapping.js';

@Injectable()
export class RunQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  async get(runId: string): Promise<Run | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
    return row && toRun(row);
  }
}

export function toRun(row: RunsTable): Run {
  return {
    runId: row.run_id,
    kitId: row.kit_id,
    deckId: row.deck_id,
    sourcePath: row.source_path,
    params: row.params,
    startedAt: iso(row.started_at),
    status: row.status,
    lastControl: row.last_control,
    startedBy: row.started_by,
    position: row.position,
  };
}

/** A run's version: its row's position, or its last control's when that is newer (controls carry their own). */
export function runVersion(row: Pick<RunsTable, 'position' | 'last_control'>): number {
  return Math.max(row.position, row.last_control?.position ?? 0);
}
