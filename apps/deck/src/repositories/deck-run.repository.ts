import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import type { EventMetadata, KitRunStartedV1 } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { EventStore, type NewEvent } from '@vista/event-store';
import { DECK_SCHEMA } from '../config/deck.config.js';
import { type DeckJobEvent, type DeckJobState, evolve } from '../domain/deck-job.js';

/** A kit run as the deck service knows it: how it started and its deck-collection job. */
export interface DeckRun {
  readonly run: KitRunStartedV1;
  readonly job?: DeckJobState;
  /** Stream version: the expected version of the next append. */
  readonly version: number;
  readonly timeoutMs: number;
  /** Correlation id of the command that started the run; every event of the run shares it. */
  readonly correlationId: string;
}

export const runStreamId = (runId: string): string => `deck-run-${runId}`;

/** Loads and appends to the `deck-run-<runId>` stream (KitRunStarted and the job's lifecycle events). */
@Injectable()
export class DeckRunRepository {
  constructor(
    private readonly store: EventStore,
    @Inject(DATABASE) private readonly db: Kysely<any>,
  ) {}

  async load(runId: string): Promise<DeckRun | undefined> {
    const events = await this.store.readStream(runStreamId(runId));
    const started = events.find((e) => e.type === 'KitRunStarted');
    if (!started) return undefined;
    let job: DeckJobState | undefined;
    let timeoutMs = 0;
    for (const event of events) {
      if (!event.type.startsWith('DeckCollection')) continue;
      if (event.type === 'DeckCollectionRequested') timeoutMs = Number(event.data.timeoutMs);
      job = evolve(job, { type: event.type, data: event.data } as unknown as DeckJobEvent);
    }
    return { run: started.data as unknown as KitRunStartedV1, job, version: events.length, timeoutMs, correlationId: started.metadata.correlationId };
  }

  async append(runId: string, expectedVersion: number, events: NewEvent[], metadata: EventMetadata): Promise<number> {
    const result = await this.store.append({ streamId: runStreamId(runId), expectedVersion, events }, metadata);
    return result.nextExpectedVersion;
  }

  /** Runs whose deck job has not finished (PENDING or RUNNING): resumed at start-up. */
  async unfinishedRunIds(): Promise<string[]> {
    const { rows } = await sql<{ stream_id: string }>`
      select stream_id from (
        select distinct on (stream_id) stream_id, type from ${sql.id(DECK_SCHEMA, 'events')}
        where stream_id like 'deck-run-%' order by stream_id, stream_version desc
      ) last where type in ('KitRunStarted', 'DeckCollectionRequested', 'DeckCollectionStarted')`.execute(this.db);
    return rows.map((r) => r.stream_id.slice('deck-run-'.length));
  }
}
