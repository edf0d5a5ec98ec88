import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { type Kysely, sql } from 'kysely';
import { BUS_NAMES, decodeEvent, JETSTREAM, JETSTREAM_MANAGER } from '@vista/bus';
import { type BusNames, ConflictError, type DeliveredEvent, type RebuildReadModelResult } from '@vista/contracts';
import { DATABASE, migrateSchema } from '@vista/db';
import { FoldLock } from '../../handlers/fold.lock.js';
import { readModelMigrations } from '@vista/read-model';
import { ReadModelRepository, readModelLockKey } from '../../repositories/read-model.repository.js';
import { EventStreamReader } from './event-stream.reader.js';

export interface RebuildRequest {
  readonly actor: string;
  readonly reason?: string;
}

/** Batches of a replay: larger than live ones, there is no latency to keep. */
const REPLAY_BATCH = 2_000;
/** The live fold is paused only for the last stretch: replay without pausing until this close. */
const CATCH_UP_GAP = 5_000;
const PROGRESS_EVERY_MS = 5_000;

/**
 * Replays the whole events stream into fresh tables (`<read>_rebuild_<id>`, same migrations), then
 * pauses the live fold, catches up to the stream's last message and swaps the schemas in one
 * transaction. The old tables serve reads until the swap, and are dropped after it.
 */
@Injectable()
export class RebuildReadModelUseCase {
  private readonly logger = new Logger(RebuildReadModelUseCase.name);
  private running = false;

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    private readonly live: ReadModelRepository,
    private readonly lock: FoldLock,
  ) {}

  async execute(request: RebuildRequest): Promise<RebuildReadModelResult> {
    if (this.running) throw new ConflictError('a read-model rebuild is already running in this projector');
    this.running = true;
    try {
      return await this.rebuild(request);
    } finally {
      this.running = false;
    }
  }

  private async rebuild(request: RebuildRequest): Promise<RebuildReadModelResult> {
    const started = Date.now();
    const live = this.live.schema;
    const id = `${started.toString(36)}${randomBytes(2).toString('hex')}`;
    const target = `${live}_rebuild_${id}`;
    const retired = `${live}_old_${id}`;
    this.logger.log(`rebuild into "${target}" asked by ${request.actor}${request.reason ? `: ${request.reason}` : ''}`);

    await migrateSchema(this.db, target, readModelMigrations(target));
    const fresh = this.live.forSchema(target);
    const reader = await EventStreamReader.open(this.js, this.names.eventsStream, 2 * REPLAY_BATCH);
    const replay = new Replay(reader, fresh, this.logger, started);
    try {
      // Replay while the live fold goes on, until the end of the stream is close.
      for (;;) {
        const end = await this.lastSequence();
        if (end - replay.position <= CATCH_UP_GAP) break;
        await replay.until(end);
      }
      // Pause the live fold here, fence other replicas' batches, catch up to the very end and swap.
      await this.lock.run(() =>
        this.db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${readModelLockKey(live)})`.execute(trx);
          await replay.until(await this.lastSequence(), trx);
          // Dead letters are a record of their own, not a fold of events: they move to the new tables.
          await sql`insert into ${sql.id(target)}.dead_letters select * from ${sql.id(live)}.dead_letters`.execute(trx);
          await sql`alter schema ${sql.id(live)} rename to ${sql.id(retired)}`.execute(trx);
          await sql`alter schema ${sql.id(target)} rename to ${sql.id(live)}`.execute(trx);
        }),
      );
    } catch (error) {
      await sql`drop schema if exists ${sql.id(target)} cascade`.execute(this.db).catch(() => undefined);
      throw error;
    } finally {
      await reader.close().catch(() => undefined);
    }
    await sql`drop schema ${sql.id(retired)} cascade`.execute(this.db);

    const durationMs = Date.now() - started;
    this.logger.log(`rebuild swapped in: ${replay.folded} events up to position ${replay.position} in ${durationMs} ms (${replay.skipped} unreadable skipped)`);
    return { schema: target, events: replay.folded, durationMs };
  }

  private async lastSequence(): Promise<number> {
    return (await this.jsm.streams.info(this.names.eventsStream)).state.last_seq;
  }
}

/** The replay's cursor: reads the stream in order and folds it in batches into the fresh tables. */
class Replay {
  position = 0;
  folded = 0;
  skipped = 0;
  private lastLogAt = Date.now();

  constructor(
    private readonly reader: EventStreamReader,
    private readonly repository: ReadModelRepository,
    private readonly logger: Logger,
    private readonly startedAt: number,
  ) {}

  /** Folds every message up to sequence `end` (inclusive), each batch in its own transaction or in `trx`. */
  async until(end: number, trx?: Kysely<any>): Promise<void> {
    let batch: DeliveredEvent<object>[] = [];
    while (this.position < end) {
      const msg = await this.reader.next();
      if (!msg) throw new Error(`the events stream ended at ${this.position}, before ${end}`);
      this.position = msg.seq;
      const decoded = decodeEvent(msg.data, msg.seq);
      // The live consumer dead-lettered these; the replay leaves them out the same way.
      if (decoded.ok) batch.push(decoded.event);
      else this.skipped++;
      // `pending` is what is left in the stream after this message: nothing left means every
      // sequence up to `end` has been seen (the missing ones were deleted).
      const atEnd = msg.seq >= end || msg.info.pending === 0;
      if (atEnd) this.position = Math.max(this.position, end);
      if (batch.length >= REPLAY_BATCH || (atEnd && batch.length > 0)) {
        if (trx) await this.repository.applyWith(trx, batch);
        else await this.repository.apply(batch);
        this.folded += batch.length;
        batch = [];
        this.logProgress(end);
      }
      if (atEnd) break;
    }
  }

  private logProgress(end: number): void {
    const now = Date.now();
    if (now - this.lastLogAt < PROGRESS_EVERY_MS) return;
    this.lastLogAt = now;
    const rate = Math.round(this.folded / ((now - this.startedAt) / 1000));
    this.logger.log(`rebuild: at ${this.position} of ${end} (${this.folded} events folded, ${rate}/s)`);
  }
}
