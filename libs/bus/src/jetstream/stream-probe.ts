import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '@vista/contracts';

const decoder = new TextDecoder();

/**
 * Reads the state of the events stream for an outbox relay (`StreamProbe` of libs/event-store):
 * its last sequence, and the newest message below a sequence that belongs to a given log.
 */
export class JetStreamProbe {
  private reconnected = 0;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    connection?: NatsConnection,
  ) {
    if (connection) void this.countReconnects(connection);
  }

  /** Times the connection to the server came back: a server that restarted may hold less than it acknowledged. */
  reconnects(): number {
    return this.reconnected;
  }

  private async countReconnects(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) if (status.type === 'reconnect') this.reconnected++;
  }

  async bounds(): Promise<{ firstSequence: number; lastSequence: number }> {
    const { state } = await this.jsm.streams.info(this.stream);
    return { firstSequence: state.first_seq, lastSequence: state.last_seq };
  }

  async eventAt(sequence: number): Promise<{ eventId: string; context: string } | undefined> {
    const msg = await this.jsm.streams.getMessage(this.stream, { seq: sequence });
    if (!msg) return undefined;
    try {
      const { eventId, context } = JSON.parse(decoder.decode(msg.data)) as Partial<EventEnvelope<unknown>>;
      return typeof eventId === 'string' && typeof context === 'string' ? { eventId, context } : undefined;
    } catch {
      return undefined;
    }
  }

  async lastHeld(
    beforeSequence: number,
    matches: (envelope: EventEnvelope<unknown>) => boolean,
    limit: number,
  ): Promise<{ sequence: number; eventId: string } | { scannedTo: number; oldestAt?: Date }> {
    const state = (await this.jsm.streams.info(this.stream)).state;
    const top = Math.min(beforeSequence - 1, state.last_seq);
    const bottom = Math.max(state.first_seq, top - limit + 1, 1);
    let oldestAt: Date | undefined;
    for (let seq = top; seq >= bottom; seq--) {
      const msg = await this.jsm.streams.getMessage(this.stream, { seq });
      if (!msg) continue;
      oldestAt = msg.time;
      let envelope: EventEnvelope<unknown> | undefined;
      try {
        envelope = JSON.parse(decoder.decode(msg.data)) as EventEnvelope<unknown>;
      } catch {
        continue;
      }
      if (envelope && typeof envelope.eventId === 'string' && matches(envelope)) return { sequence: seq, eventId: envelope.eventId };
    }
    return { scannedTo: bottom, oldestAt };
  }
}
