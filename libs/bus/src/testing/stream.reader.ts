import type { TestBus } from '@vista/testing';

/** A stored message of a test stream: what a consumer or an operator would see. */
export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly header: (name: string) => string | undefined;
  readonly body: string;
}

/** Every message of one of the test bus's streams, in stream order. */
export async function readStream(bus: TestBus, stream: string): Promise<StoredMessage[]> {
  const total = (await bus.jsm.streams.info(stream)).state.messages;
  const out: StoredMessage[] = [];
  for (let seq = 1; out.length < total; seq++) {
    const m = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue;
    out.push({ seq: m.seq, subject: m.subject, header: (name) => m.header.get(name) || undefined, body: m.string() });
  }
  return out;
}
