import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { type Kysely, sql } from 'kysely';
import {
  advisoryNames,
  BUS_NAMES,
  HEADER_CONSUMER,
  HEADER_DEAD_LETTER_REASON,
  HEADER_ORIGINAL_SEQUENCE,
  HEADER_ORIGINAL_SUBJECT,
  JETSTREAM,
  JETSTREAM_MANAGER,
} from '@vista/bus';
import { type BusNames, ConflictError, NotFoundError, type ReplayDeadLetterResult } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import type { DeadLettersTable } from '@vista/read-model';
import type { Selectable } from 'kysely';
import { metrics } from '@vista/telemetry';
import { PROJECTOR_CONFIG, type ProjectorConfig } from '../config/projector.config.js';

const DLQ_DURABLE = 'dead-letter-recorder';
const ADVISORY_DURABLE = 'max-deliveries-recorder';
const HEADER_REPLAY_OF = 'Vista-Replay-Of';

const deadLetterMetrics = {
  recorded: metrics.counter({
    name: 'vista_dead_letters_recorded_total',
    help: 'Messages given up on and recorded in read.dead_letters',
    labelNames: ['source', 'consumer'] as const,
  }),
  replayed: metrics.counter({ name: 'vista_dead_letters_replayed_total', help: 'Dead letters published again by an admin' }),
};

/** The server's MAX_DELIVERIES advisory (io.nats.jetstream.advisory.v1.max_deliver). */
interface MaxDeliveriesAdvisory {
  type: string;
  id: string;
  timestamp: string;
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Records every message given up on in `read.dead_letters`: those a consumer parked on `<ns>.dlq.>`
 * with its reason, and those the server gave up on after a consumer's maximum deliveries (its
 * advisory, kept in the advisories stream), with the original message read back from the events
 * stream. Replays a recorded one on its original subject.
 */
@Injectable()
export class DeadLetters implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadLetters.name);
  private readonly subscriptions: ConsumerMessages[] = [];

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(BUS_NAMES) private readonly names: BusNames,
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const advisories = advisoryNames(this.names);
    await this.follow(this.names.deadLetterStream, DLQ_DURABLE, (msg) => this.fromDeadLetterStream(msg));
    await this.follow(advisories.stream, ADVISORY_DURABLE, (msg) => this.fromAdvisory(msg));
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const s of this.subscriptions) await s.close();
  }

  private get table() {
    return sql`${sql.id(this.config.READ_SCHEMA)}.dead_letters`;
  }

  private async follow(stream: string, durable: string, record: (msg: JsMsg) => Promise<void>): Promise<void> {
    try {
      await this.jsm.consumers.info(stream, durable);
    } catch {
      await this.jsm.consumers
        .add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_deliver: -1 })
        .catch((error: Error) => {
          if (!/already in use|exists/i.test(error.message)) throw error;
        });
    }
    const consumer = await this.js.consumers.get(stream, durable);
    const messages = await consumer.consume({
      max_messages: 64,
      callback: (msg) => {
        void record(msg).then(
          () => msg.ack(),
          (error: unknown) => {
            this.logger.error({ err: error }, `recording a dead letter from ${stream} failed; retrying`);
            msg.nak(2_000);
          },
        );
      },
    });
    this.subscriptions.push(messages);
  }

  private async fromDeadLetterStream(msg: JsMsg): Promise<void> {
    const body = decoder.decode(msg.data);
    const envelope = parse(body);
    const consumer = msg.headers?.get(HEADER_CONSUMER) || 'unknown';
    await this.insert({
      source: 'consumer',
      consumer,
      stream_seq: Number(msg.headers?.get(HEADER_ORIGINAL_SEQUENCE) || 0),
      subject: msg.headers?.get(HEADER_ORIGINAL_SUBJECT) || null,
      event_id: uuidOrNull(envelope?.eventId),
      type: typeof envelope?.type === 'string' ? envelope.type.slice(0, 200) : null,
      reason: msg.headers?.get(HEADER_DEAD_LETTER_REASON) || 'no reason given',
      deliveries: null,
      body,
      dead_lettered_at: new Date(msg.info.timestampNanos / 1e6),
    });
  }

  private async fromAdvisory(msg: JsMsg): Promise<void> {
    const advisory = JSON.parse(decoder.decode(msg.data)) as MaxDeliveriesAdvisory;
    const original = await this.jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq }).catch(() => null);
    const body = original ? decoder.decode(original.data) : null;
    const envelope = body ? parse(body) : undefined;
    await this.insert({
      source: 'advisory',
      consumer: advisory.consumer,
      stream_seq: advisory.stream_seq,
      subject: original?.subject ?? null,
      event_id: uuidOrNull(envelope?.eventId),
      type: typeof envelope?.type === 'string' ? envelope.type.slice(0, 200) : null,
      reason: `the server gave up after ${advisory.deliveries} deliveries to consumer ${advisory.consumer} (max_deliver reached, ${advisory.type})`,
      deliveries: advisory.deliveries,
      body,
      dead_lettered_at: new Date(advisory.timestamp),
    });
  }

  private async insert(row: Omit<Selectable<DeadLettersTable>, 'id' | 'replays' | 'replayed_at'>): Promise<void> {
    await sql`
      insert into ${this.table} (id, source, consumer, stream_seq, subject, event_id, type, reason, deliveries, body, dead_lettered_at)
      values (${randomUUID()}, ${row.source}, ${row.consumer}, ${row.stream_seq}, ${row.subject}, ${row.event_id}, ${row.type},
              ${row.reason}, ${row.deliveries}, ${row.body}, ${row.dead_lettered_at})
      on conflict (consumer, stream_seq) do nothing`.execute(this.db);
    deadLetterMetrics.recorded.inc({ source: row.source, consumer: row.consumer });
    this.logger.warn(`dead letter from ${row.consumer} (stream sequence ${row.stream_seq}${row.type ? `, ${row.type}` : ''}): ${row.reason}`);
  }

  /** Publishes the recorded message again on its original subject, as a new message. */
  async replay(id: string, actor: string): Promise<ReplayDeadLetterResult> {
    const { rows } = await sql<Selectable<DeadLettersTable>>`select * from ${this.table} where id = ${id}`.execute(this.db);
    const row = rows[0];
    if (!row) throw new NotFoundError(`dead letter ${id} does not exist`);
    if (row.body === null || row.subject === null) {
      throw new ConflictError(`dead letter ${id} has no message to replay: the stream no longer held it when it was recorded`);
    }
    const replays = row.replays + 1;
    const h = natsHeaders();
    h.set(HEADER_REPLAY_OF, id);
    // A new message id: the stream would drop the original's as a duplicate within its window.
    const ack = await this.js.publish(row.subject, encoder.encode(row.body), { msgID: `${row.event_id ?? id}:replay:${replays}`, headers: h });
    await sql`update ${this.table} set replays = ${replays}, replayed_at = now() where id = ${id}`.execute(this.db);
    deadLetterMetrics.replayed.inc();
    this.logger.warn(`dead letter ${id} replayed by ${actor} on ${row.subject} at stream sequence ${ack.seq}`);
    return { id, subject: row.subject, sequence: ack.seq, replays };
  }
}

function parse(body: string): { eventId?: unknown; type?: unknown } | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return value && typeof value === 'object' ? (value as { eventId?: unknown; type?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;
const uuidOrNull = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);
