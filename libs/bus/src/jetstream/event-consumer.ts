import { setTimeout as sleep } from 'node:timers/promises';
import { type Context, context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';
import type { Consumer, ConsumerInfo, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { type BusNames, type DeliveredEvent, isConnectionLost } from '@vista/contracts';
import { type Decoded, decodeEvent } from './decode-event.js';
import type { HandlerResult } from './handler-result.js';

export const HEADER_DEAD_LETTER_REASON = 'Vista-Dead-Letter-Reason';
export const HEADER_ORIGINAL_SUBJECT = 'Vista-Original-Subject';
export const HEADER_ORIGINAL_SEQUENCE = 'Vista-Original-Sequence';
export const HEADER_CONSUMER = 'Vista-Consumer';

export interface EventConsumerOptions {
  readonly stream: string;
  readonly durable: string;
  /** Deliveries before a failing message is dead-lettered (must match the consumer's max_deliver). */
  readonly maxDeliver: number;
  /** Delay before the n-th redelivery after a handler failure (last value repeats). */
  readonly retryDelaysMs?: number[];
  /** Batch mode: when fewer than a full batch are waiting, wait this long for more (default 0). */
  readonly batchLingerMs?: number;
  /**
   * The event types the handler takes; others are acked as skipped without validating their payload
   * (another consumer's business, not a poison message here). Default: every type.
   */
  readonly types?: ReadonlySet<string>;
  readonly onError?: (error: unknown, message: string) => void;
}

export interface ConsumerStatus {
  readonly running: boolean;
  readonly processed: number;
  readonly deadLettered: number;
  readonly failures: number;
  readonly lastProgressAt?: Date;
  /** Highest stream position handled so far. */
  readonly lastPosition: number;
}

/** An event of a batch the handler could not apply; it is dead-lettered with the reason instead of acked. */
export interface RejectedDelivery {
  /** The event's `position` (its source-log position). */
  readonly position: number;
  readonly reason: string;
}

/** Handles one event; `deliveryCount` is 1 on the first delivery. */
export type EventHandler = (event: DeliveredEvent<object>, delivery: { readonly deliveryCount: number }) => Promise<HandlerResult>;

/** Applies a batch; returns the events it refused (dead-lettered), the rest are acked. Throwing retries the batch. */
export type BatchHandler = (events: DeliveredEvent<object>[]) => Promise<readonly RejectedDelivery[] | void>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const tracer = trace.getTracer('vista');

/**
 * A durable JetStream consumer loop with explicit ack. Invalid messages are dead-lettered at once
 * with their reason; failing ones are redelivered with backoff and dead-lettered after
 * `maxDeliver` attempts. Handlers never see NATS.
 */
export class EventConsumer {
  private messages?: ConsumerMessages;
  private readonly buffer: JsMsg[] = [];
  private readonly decoded = new WeakMap<JsMsg, Decoded>();
  /** The batch being handled (settled messages in it ignore further acks). */
  private inHand: JsMsg[] = [];
  private keepAlive?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly state: Mutable<ConsumerStatus> = { running: false, processed: 0, deadLettered: 0, failures: 0, lastPosition: 0 };

  private readonly accepts?: (type: string) => boolean;

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: BusNames,
    private readonly options: EventConsumerOptions,
  ) {
    const types = options.types;
    if (types) this.accepts = (type) => types.has(type);
  }

  /** Handles one event at a time, in delivery order. */
  async start(handler: EventHandler): Promise<void> {
    await this.consume(async (batch) => {
      for (const msg of batch) {
        // Once stopping, hand back what was not started instead of working through the whole batch.
        if (this.state.running) await this.handleOne(msg, handler);
        else msg.nak();
      }
    }, 64);
  }

  /**
   * Hands events over in batches (as many as are waiting, up to `maxBatch`); the batch is acked
   * after the handler resolves, or every message in it is retried when it throws.
   */
  async startBatch(handler: BatchHandler, maxBatch: number): Promise<void> {
    await this.consume((batch) => this.handleBatch(batch, handler), maxBatch);
  }

  /**
   * Stops pulling, finishes the event in hand (the batch, for a batch handler) and returns; what was
   * delivered but not handled goes back to the server for the next consumer of the durable.
   */
  async stop(): Promise<void> {
    this.state.running = false;
    await this.messages?.close();
    while (this.flushing) await this.flushing;
    clearInterval(this.keepAlive);
    // Whatever is still buffered was never handled: hand it back now rather than after ack_wait.
    for (const msg of this.buffer.splice(0)) msg.nak();
  }

  status(): ConsumerStatus {
    return { ...this.state };
  }

  private async consume(process: (batch: JsMsg[]) => Promise<void>, maxBatch: number): Promise<void> {
    const consumer = await this.js.consumers.get(this.options.stream, this.options.durable);
    // Messages wait in the prefetch buffer and in a handler; past the ack deadline the server would
    // redeliver them meanwhile, raising their delivery count towards max_deliver, after which it
    // drops them without a dead letter. Telling it they are in progress keeps each with this consumer.
    const deadlineMs = ackDeadlineMs(await consumer.info(true));
    this.keepAlive = setInterval(() => this.markInProgress(), Math.max(10, Math.floor(deadlineMs / 3)));
    this.keepAlive.unref();
    this.state.running = true;
    this.messages = await this.subscribe(consumer, process, maxBatch);
  }

  private async subscribe(consumer: Consumer, process: (batch: JsMsg[]) => Promise<void>, maxBatch: number): Promise<ConsumerMessages> {
    const messages = await consumer.consume({
      max_messages: Math.max(maxBatch * 2, 64),
      callback: (msg) => {
        // Decode as messages arrive: the work overlaps the handler's wait on its database.
        this.decoded.set(msg, decodeEvent(msg.data, msg.seq, this.accepts));
        this.buffer.push(msg);
        this.flushing ??= this.drainBuffer(process, maxBatch);
      },
    });
    void this.watch(messages, process, maxBatch);
    return messages;
  }

  /**
   * A durable consumer deleted and created again (the reconciler does so when the stream went
   * backwards below its ack floor): subscribe again at once rather than wait for the client's own
   * recovery, which can take a whole pull expiry. Missed heartbeats are left to the client, which pulls
   * again by itself: a new subscription would orphan the messages already sent to the old one, to
   * come back as duplicates after the ack wait (a busy event loop misses heartbeats without any fault).
   */
  private async watch(messages: ConsumerMessages, process: (batch: JsMsg[]) => Promise<void>, maxBatch: number): Promise<void> {
    try {
      for await (const status of messages.status()) {
        if (!this.state.running || this.messages !== messages) return;
        if (status.type !== 'consumer_deleted' && status.type !== 'consumer_not_found') continue;
        this.options.onError?.(new Error(status.type), `consumer ${this.options.durable}: ${status.type}; subscribing again`);
        messages.stop();
        while (this.state.running && this.messages === messages) {
          try {
            const consumer = await this.js.consumers.get(this.options.stream, this.options.durable);
            this.messages = await this.subscribe(consumer, process, maxBatch);
          } catch {
            await sleep(500);
          }
        }
        return;
      }
    } catch (error) {
      this.options.onError?.(error, `watching consumer ${this.options.durable} failed`);
    }
  }

  private async drainBuffer(process: (batch: JsMsg[]) => Promise<void>, maxBatch: number): Promise<void> {
    // Let the messages that arrived together land in the buffer first, so batches form naturally.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.buffer.length > 0 && this.state.running) {
        // A short wait lets a batch fill up under load: far less work per event for a few ms of lag.
        const linger = this.options.batchLingerMs ?? 0;
        if (linger > 0 && this.buffer.length < maxBatch) await sleep(linger);
        const batch = this.buffer.splice(0, maxBatch);
        this.inHand = batch;
        try {
          await process(batch);
        } catch (error) {
          // Nothing may escape this detached loop (an unhandled rejection ends the process); what was
          // not settled is redelivered once its ack wait runs out.
          this.state.failures++;
          this.options.onError?.(error, `handling a batch of ${batch.length} failed; it will be redelivered`);
        } finally {
          this.inHand = [];
        }
      }
    } finally {
      this.flushing = undefined;
      if (this.buffer.length > 0 && this.state.running) this.flushing = this.drainBuffer(process, maxBatch);
    }
  }

  private markInProgress(): void {
    try {
      // A settled message ignores it (the client sends nothing after a final ack, nak or term).
      for (const msg of this.inHand) msg.working();
      for (const msg of this.buffer) msg.working();
    } catch (error) {
      this.options.onError?.(error, 'telling the server messages are in progress failed');
    }
  }

  private async handleOne(msg: JsMsg, handler: EventHandler): Promise<void> {
    const decoded = this.decodedOf(msg);
    if (!decoded.ok && decoded.ignored) return this.settle(msg, { kind: 'skipped', reason: decoded.reason }, decoded.type ?? 'unknown');
    if (!decoded.ok) return this.deadLetter(msg, decoded.reason, decoded.type);
    const parent = extractContext(msg);
    const span = tracer.startSpan(
      `consume ${decoded.event.envelope.type}`,
      { kind: SpanKind.CONSUMER, attributes: messagingAttributes(msg, this.options.durable) },
      parent,
    );
    let result: HandlerResult;
    try {
      result = await context.with(trace.setSpan(parent, span), () =>
        this.whileDisconnected(() => handler(decoded.event, { deliveryCount: msg.info.deliveryCount })),
      );
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      this.options.onError?.(error, `handler for ${decoded.event.envelope.type} failed`);
      result = { kind: 'retry', afterMs: this.retryDelay(msg), reason: (error as Error).message };
    } finally {
      span.end();
    }
    await this.settle(msg, result, decoded.event.envelope.type);
  }

  private async handleBatch(batch: JsMsg[], handler: BatchHandler): Promise<void> {
    const good: { msg: JsMsg; event: DeliveredEvent<object> }[] = [];
    for (const msg of batch) {
      const decoded = this.decodedOf(msg);
      if (decoded.ok) good.push({ msg, event: decoded.event });
      else if (decoded.ignored) await this.settle(msg, { kind: 'skipped', reason: decoded.reason }, decoded.type ?? 'unknown');
      else await this.deadLetter(msg, decoded.reason, decoded.type);
    }
    if (good.length === 0) return;
    const links: Link[] = good
      .slice(0, 64)
      .map(({ msg }) => ({ context: trace.getSpanContext(extractContext(msg)) }))
      .filter((l): l is Link => l.context !== undefined);
    await tracer.startActiveSpan(
      `consume batch ${this.options.durable}`,
      { kind: SpanKind.CONSUMER, links, attributes: { 'messaging.batch.message_count': good.length } },
      async (span) => {
        try {
          const rejected = new Map(((await this.whileDisconnected(() => handler(good.map((g) => g.event)))) ?? []).map((r) => [r.position, r.reason]));
          for (const { msg, event } of good) {
            const reason = rejected.get(event.position);
            if (reason === undefined) msg.ack();
            else await this.deadLetter(msg, reason, event.envelope.type);
          }
          this.state.processed += good.length;
          this.state.lastProgressAt = new Date();
          this.state.lastPosition = Math.max(this.state.lastPosition, good[good.length - 1]!.msg.seq);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          this.state.failures++;
          this.options.onError?.(error, `batch of ${good.length} failed; redelivering`);
          for (const { msg, event } of good) {
            await this.settle(msg, { kind: 'retry', afterMs: this.retryDelay(msg), reason: (error as Error).message }, event.envelope.type);
          }
        } finally {
          span.end();
        }
      },
    );
  }

  /**
   * Runs the handler again, with backoff, while it fails on a lost database connection: the message
   * stays in hand (marked in progress) rather than going back with a nak, so an outage never spends
   * its deliveries towards the dead letters. Stopping ends the wait; the failure then counts as usual.
   */
  private async whileDisconnected<T>(handle: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handle();
      } catch (error) {
        if (!isConnectionLost(error) || !this.state.running) throw error;
        this.state.failures++;
        const pauseMs = Math.min(5_000, 100 * 2 ** Math.min(attempt - 1, 6));
        if (attempt === 1 || attempt % 10 === 0) {
          this.options.onError?.(error, `the database connection is lost; handling again in ${pauseMs} ms (attempt ${attempt})`);
        }
        await sleep(pauseMs);
      }
    }
  }

  private async settle(msg: JsMsg, result: HandlerResult, type: string): Promise<void> {
    switch (result.kind) {
      case 'done':
      case 'skipped':
        msg.ack();
        this.state.processed++;
        this.state.lastProgressAt = new Date();
        this.state.lastPosition = Math.max(this.state.lastPosition, msg.seq);
        return;
      case 'retry':
        if (msg.info.deliveryCount >= this.options.maxDeliver) {
          return this.deadLetter(msg, `gave up after ${msg.info.deliveryCount} deliveries: ${result.reason}`, type);
        }
        this.state.failures++;
        msg.nak(result.afterMs);
        return;
      case 'dead-letter':
        return this.deadLetter(msg, result.reason, type);
    }
  }

  private async deadLetter(msg: JsMsg, reason: string, type?: string): Promise<void> {
    const h = natsHeaders();
    h.set(HEADER_DEAD_LETTER_REASON, reason.slice(0, 2_000).replace(/[\r\n]+/g, ' '));
    h.set(HEADER_ORIGINAL_SUBJECT, msg.subject);
    h.set(HEADER_ORIGINAL_SEQUENCE, String(msg.seq));
    h.set(HEADER_CONSUMER, this.options.durable);
    try {
      await this.js.publish(this.names.deadLetterSubject(this.options.durable, typeToken(type)), msg.data, {
        headers: h,
        msgID: `${this.options.durable}:${msg.seq}`,
      });
    } catch (error) {
      // Not parked yet: leave it to be redelivered rather than lose it.
      this.options.onError?.(error, `dead-lettering message ${msg.seq} failed`);
      msg.nak(5_000);
      return;
    }
    // No reason on the term: servers before 2.10 ignore a `+TERM <reason>` and redeliver the
    // message; the reason travels in the dead letter's header instead.
    msg.term();
    this.state.deadLettered++;
    this.state.lastProgressAt = new Date();
    this.state.lastPosition = Math.max(this.state.lastPosition, msg.seq);
  }

  private decodedOf(msg: JsMsg): Decoded {
    return this.decoded.get(msg) ?? decodeEvent(msg.data, msg.seq, this.accepts);
  }

  private retryDelay(msg: JsMsg): number {
    const delays = this.options.retryDelaysMs ?? [1_000, 5_000, 15_000, 30_000];
    return delays[Math.min(msg.info.deliveryCount - 1, delays.length - 1)] ?? 1_000;
  }
}

/**
 * The dead-letter subject names the type only when it looks like one: the type of a malformed message
 * is whatever its sender wrote, and an overlong subject would get the whole connection closed by the
 * server (control line too long) instead of parking the message.
 */
const typeToken = (type: string | undefined): string => (type !== undefined && /^[A-Z][A-Za-z0-9]{0,99}$/.test(type) ? type : 'unknown');

/** How long the server waits for an ack before redelivering: the ack wait, or the first backoff step. */
function ackDeadlineMs(info: ConsumerInfo): number {
  const nanos = [info.config.ack_wait, ...(info.config.backoff ?? [])].filter((n): n is number => typeof n === 'number' && n > 0);
  return nanos.length > 0 ? Math.min(...nanos) / 1e6 : 30_000;
}

function extractContext(msg: JsMsg): Context {
  const carrier: Record<string, string> = {};
  const traceparent = msg.headers?.get('traceparent');
  if (traceparent) carrier.traceparent = traceparent;
  const tracestate = msg.headers?.get('tracestate');
  if (tracestate) carrier.tracestate = tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

const messagingAttributes = (msg: JsMsg, durable: string) => ({
  'messaging.system': 'nats',
  'messaging.destination.name': msg.subject,
  'messaging.consumer.group.name': durable,
  'messaging.message.id': msg.headers?.get('Nats-Msg-Id') ?? '',
});
