import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';

/**
 * Reads a stream in sequence order from its first message, through an ordered consumer (ephemeral,
 * flow-controlled, recreated by the client on a gap), one message at a time.
 */
export class EventStreamReader {
  private constructor(
    private readonly messages: ConsumerMessages,
    private readonly iterator: AsyncIterator<JsMsg>,
  ) {}

  static async open(js: JetStreamClient, stream: string, prefetch: number): Promise<EventStreamReader> {
    const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume({ max_messages: prefetch });
    return new EventStreamReader(messages, messages[Symbol.asyncIterator]());
  }

  /** The next message, or undefined when the reader was closed. */
  async next(): Promise<JsMsg | undefined> {
    const { value, done } = await this.iterator.next();
    return done ? undefined : value;
  }

  /** Stops reading; what was prefetched is dropped. */
  async close(): Promise<void> {
    const closed = this.messages.close();
    // The iterator ends only once its queue, prefetched messages included, has been read out.
    while (!(await this.iterator.next()).done);
    await closed;
  }
}
