/** What a command carries besides its payload. Trace context travels in NATS headers. */
export interface CommandMessage<P = unknown> {
  readonly payload: P;
  /** Who asks: a user id, `service:<name>` or `anonymous`. */
  readonly actor: string;
  readonly correlationId: string;
}
