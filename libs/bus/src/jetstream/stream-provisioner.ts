import { AckPolicy, DeliverPolicy, type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { BusNames } from '@vista/contracts';

const DAY_MS = 86_400_000;

/**
 * Creates or updates the events stream, the dead-letter stream and the advisories stream (idempotent; every service runs
 * it at start-up). The events stream keeps everything: Postgres is the durable record, but replays
 * and rebuilds read from here.
 */
export async function provisionStreams(jsm: JetStreamManager, names: BusNames, options: { replicas?: number } = {}): Promise<void> {
  const replicas = options.replicas ?? 1;
  await upsertStream(jsm, {
    name: names.eventsStream,
    subjects: [names.allEvents],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    // Long enough to cover a relay restart; the relay republishes from its checkpoint.
    duplicate_window: nanos(10 * 60_000),
    num_replicas: replicas,
  });
  await upsertStream(jsm, {
    name: names.deadLetterStream,
    subjects: [names.allDeadLetters],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * DAY_MS),
    num_replicas: replicas,
  });
  const advisories = advisoryNames(names);
  await upsertStream(jsm, {
    name: advisories.stream,
    subjects: [advisories.maxDeliveries],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * DAY_MS),
    num_replicas: replicas,
  });
}

/**
 * Where the server's advisories about the events stream's consumers are kept: one message per
 * delivery given up after a consumer's max_deliver (`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`),
 * so a dead letter is recorded even when no handler was left to park it (it crashed or hung each time).
 */
export function advisoryNames(names: BusNames): { readonly stream: string; readonly maxDeliveries: string } {
  return { stream: `${names.eventsStream}_ADVISORIES`, maxDeliveries: `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names.eventsStream}.*` };
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.streams.add(config);
    } catch (addError) {
      // Another replica created it between our info and add.
      if (!String((addError as Error).message).includes('already in use')) throw addError;
    }
  }
}

export interface DurableConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  readonly filterSubjects: string[];
  /** Deliveries before a message is dead-lettered (default 5). */
  readonly maxDeliver?: number;
  /**
   * Redelivery delays when a message is not acknowledged in time (ms). With a backoff the server
   * takes its first value as the ack wait, so a message must be settled within backoffMs[0] of each
   * delivery (time spent in the client's prefetch buffer included). A handler's own retries are
   * delayed by the nak it answers with, not by this.
   */
  readonly backoffMs?: number[];
  /** How long a delivered message may stay unacknowledged before it is redelivered (default 30 s; ignored with a backoff). */
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
}

/** Creates or updates a durable pull consumer with explicit ack and bounded, backed-off redelivery. */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<void> {
  // No backoff unless asked: the server would make its first, short value the ack wait, and a batch
  // still being folded (or waiting in the prefetch buffer) would be redelivered, and its delivery
  // count raised towards dead-lettering, while it is being handled.
  const backoff = spec.backoffMs ?? [];
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    // nats-server before 2.10 knows only the single filter_subject.
    ...(spec.filterSubjects.length === 1 ? { filter_subject: spec.filterSubjects[0] } : { filter_subjects: spec.filterSubjects }),
    max_deliver: spec.maxDeliver ?? 5,
    ack_wait: nanos(backoff[0] ?? spec.ackWaitMs ?? 30_000),
    // Always sent, empty included, so an update also removes a backoff set before.
    backoff: backoff.map((ms) => nanos(ms)),
    max_ack_pending: spec.maxAckPending ?? 1_000,
  };
  try {
    await jsm.consumers.info(spec.stream, spec.durable);
    const { durable_name: _durable, deliver_policy: _deliver, ack_policy: _ack, ...updatable } = config;
    await jsm.consumers.update(spec.stream, spec.durable, updatable);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(spec.stream, config);
  }
}

const isNotFound = (error: unknown): boolean => /not found/i.test(String((error as Error)?.message));
