import type { Role } from '@vista/contracts';

/** What a command carries besides its payload. Trace context travels in NATS headers. */
export interface CommandMessage<P = unknown> {
  readonly payload: P;
  /** Who asks: a user id, `service:<name>` or `anonymous`. */
  readonly actor: string;
  readonly correlationId: string;
  /** The roles of a user actor, as read from its verified access token by the receiving service (never taken from the wire). */
  readonly roles?: readonly Role[];
}
