import { randomUUID } from 'node:crypto';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, provisionStreams } from '@vista/bus';
import { type BusNames, type EventMetadata, busNames } from '@vista/contracts';
import type { NewEvent } from '@vista/event-store';
import { type TestDatabase, createTestDatabase, testServers, uniqueId } from '@vista/testing';

/** The run's own database and bus namespaces; cleanup() drops and deletes all of it. */
export interface BenchEnvironment {
  readonly database: TestDatabase;
  /** The namespace the relay publishes to and the projector consumes. */
  readonly names: BusNames;
  /** A namespace of its own (same stream config) for the raw publish ceiling, so the projector never sees those messages. */
  readonly rawNames: BusNames;
  readonly natsUrl: string;
  /** One connection as the services open it (`noAsyncTraces`). */
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  cleanup(): Promise<void>;
}

export async function createBenchEnvironment(): Promise<BenchEnvironment> {
  const id = uniqueId();
  const names = busNames(`vista_b${id}`);
  const rawNames = busNames(`vista_b${id}_raw`);
  const database = await createTestDatabase('bench');
  let nc: NatsConnection | undefined;
  try {
    nc = await connectNats(testServers.natsUrl, `bench-${id}`);
    const jsm = await jetstreamManager(nc);
    await provisionStreams(jsm, names);
    await provisionStreams(jsm, rawNames);
    const connection = nc;
    return {
      database,
      names,
      rawNames,
      natsUrl: testServers.natsUrl,
      nc: connection,
      js: jetstream(connection),
      jsm,
      async cleanup() {
        for (const stream of [names.eventsStream, names.deadLetterStream, rawNames.eventsStream, rawNames.deadLetterStream]) {
          await jsm.streams.delete(stream).catch(() => undefined);
        }
        await connection.close().catch(() => undefined);
        await database.drop();
      },
    };
  } catch (error) {
    await nc?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
}

/** Metadata of one append, as a service writes it (an actor and a fresh correlation id). */
export const benchMetadata = (): EventMetadata => ({ actor: 'service:bench', correlationId: randomUUID() });

/** Kit ids spread over this many kits, as a busy deployment would have. */
export const KIT_COUNT = 1_000;

/**
 * A real lifecycle event with a valid payload. Each gets a job of its own, so every event is a new
 * state change the projector must fold (a history row and a kit_state upsert), never a no-op.
 */
export function deckCollectionStarted(sequence: number, eventId?: string): NewEvent<'DeckCollectionStarted'> {
  return {
    type: 'DeckCollectionStarted',
    ...(eventId ? { eventId } : {}),
    data: {
      kitId: (sequence % KIT_COUNT) + 1,
      runId: randomUUID(),
      jobId: randomUUID(),
      attempt: 1,
      startedAt: new Date().toISOString(),
    },
  };
}

/** The same event as the row columns of an `events` table (what a raw INSERT writes). */
export function deckCollectionStartedRow(sequence: number): { eventId: string; type: string; schemaVersion: number; data: string; metadata: string } {
  const event = deckCollectionStarted(sequence);
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(benchMetadata()),
  };
}

/** Bytes of an event row's data + metadata, to print next to the figures. */
export const eventRowBytes = (): number => {
  const row = deckCollectionStartedRow(1);
  return Buffer.byteLength(row.data) + Buffer.byteLength(row.metadata);
};

export type RunEvent = NewEvent<'DeckCollectionRequested' | 'DeckCollectionStarted' | 'DeckCollectionCompleted'>;

/**
 * A kit run's stream as the deck service keeps it (`deck-run-<runId>`): the deck-collection job's
 * lifecycle, PENDING → RUNNING → SUCCESS, one event per append with the version the writer tracks.
 * After the third event the cursor moves on to a new run, so streams stay as short as real ones.
 */
export class RunCursor {
  static readonly EVENTS_PER_RUN = 3;
  private static sequence = 0;
  streamId = '';
  version = 0;
  private kitId = 1;
  private runId = '';
  private jobId = '';

  constructor() {
    this.nextRun();
  }

  /** The run's next lifecycle event (`eventId` when the caller needs to know it in advance). */
  nextEvent(eventId?: string): RunEvent {
    return this.eventAt(this.version, eventId);
  }

  /** Every lifecycle event the run has still to record, for one append. */
  remainingEvents(): RunEvent[] {
    return Array.from({ length: RunCursor.EVENTS_PER_RUN - this.version }, (_, k) => this.eventAt(this.version + k));
  }

  private eventAt(version: number, eventId?: string): RunEvent {
    const ref = { kitId: this.kitId, runId: this.runId, jobId: this.jobId, attempt: 1 };
    const at = new Date().toISOString();
    const id = eventId ? { eventId } : {};
    switch (version) {
      case 0:
        return { type: 'DeckCollectionRequested', ...id, data: { ...ref, requestedAt: at, timeoutMs: 300_000 } };
      case 1:
        return { type: 'DeckCollectionStarted', ...id, data: { ...ref, startedAt: at } };
      default:
        return {
          type: 'DeckCollectionCompleted',
          ...id,
          data: { ...ref, completedAt: at, deckId: this.jobId, rowCount: 120, factors: ['temperature', 'pressure'], responses: ['yield'] },
        };
    }
  }

  /** Records the append's result; a finished run makes way for a new one. */
  appended(nextExpectedVersion: number): void {
    this.version = nextExpectedVersion;
    if (this.version >= RunCursor.EVENTS_PER_RUN) this.nextRun();
  }

  private nextRun(): void {
    this.kitId = (RunCursor.sequence++ % KIT_COUNT) + 1;
    this.runId = randomUUID();
    this.jobId = randomUUID();
    this.streamId = `deck-run-${this.runId}`;
    this.version = 0;
  }
}
