import type { EventStore } from '../event-store.js';
import { doeStartedSeries, metadataFactory } from './events.factory.js';

export interface StreamWriteLoad {
  readonly streams: number;
  /** Events appended to each stream by this call (after the `fromVersion` it is at). */
  readonly eventsPerStream: number;
  /** Version every stream is at before this call (0 for new streams). */
  readonly fromVersion?: number;
  /** Appends in flight at once; each takes 1–4 events of one stream. */
  readonly concurrency?: number;
}

export const streamIdOf = (index: number): string => `kit-run-${String(index).padStart(3, '0')}`;

/**
 * Appends `eventsPerStream` events to each of `streams` streams from several concurrent writers,
 * in appends of 1–4 events with exact expected versions, so positions and transaction ids of the
 * streams interleave the way a busy service's do. Returns how many events it appended.
 */
export async function writeStreams(store: EventStore, load: StreamWriteLoad): Promise<number> {
  const from = load.fromVersion ?? 0;
  const concurrency = load.concurrency ?? 8;
  const versions = Array.from({ length: load.streams }, () => from);
  const target = from + load.eventsPerStream;
  let appended = 0;
  const worker = async (w: number): Promise<void> => {
    for (;;) {
      const open = versions.map((v, i) => (v < target && i % concurrency === w ? i : -1)).filter((i) => i >= 0);
      if (open.length === 0) return;
      const i = open[Math.floor(Math.random() * open.length)]!;
      const count = Math.min(1 + Math.floor(Math.random() * 4), target - versions[i]!);
      const result = await store.append(
        { streamId: streamIdOf(i), expectedVersion: versions[i]!, events: doeStartedSeries(count, i + 1, versions[i]! + 1) },
        metadataFactory(),
      );
      versions[i] = result.nextExpectedVersion;
      appended += count;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return appended;
}
