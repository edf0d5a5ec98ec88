/** What a handler decided; only libs/bus turns it into ack / nak / term / dead-letter. */
export type HandlerResult =
  { kind: 'done' } | { kind: 'skipped'; reason: string } | { kind: 'retry'; afterMs: number; reason: string } | { kind: 'dead-letter'; reason: string };

export const done = (): HandlerResult => ({ kind: 'done' });
export const skipped = (reason: string): HandlerResult => ({ kind: 'skipped', reason });
export const retry = (reason: string, afterMs = 1_000): HandlerResult => ({ kind: 'retry', afterMs, reason });
export const deadLetter = (reason: string): HandlerResult => ({ kind: 'dead-letter', reason });
