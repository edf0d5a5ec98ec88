import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@vista/contracts';
import type { NewEvent } from '../event-store.js';

/** Metadata of a test append: an actor, a fresh correlation id and whatever the test adds. */
export const metadataFactory = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'service:test',
  correlationId: randomUUID(),
  ...overrides,
});

/** A valid `DoeStarted` event (the job of a kit run began); `kitId` picks the subject. */
export const doeStarted = (overrides: { kitId?: number; attempt?: number; eventId?: string } = {}): NewEvent<'DoeStarted'> => ({
  type: 'DoeStarted',
  ...(overrides.eventId ? { eventId: overrides.eventId } : {}),
  data: {
    kitId: overrides.kitId ?? 1,
    runId: randomUUID(),
    jobId: randomUUID(),
    attempt: overrides.attempt ?? 1,
    startedAt: new Date().toISOString(),
  },
});

/** `count` valid events of one kit, numbered by attempt so a test can tell them apart. */
export const doeStartedSeries = (count: number, kitId = 1, firstAttempt = 1): NewEvent<'DoeStarted'>[] =>
  Array.from({ length: count }, (_, i) => doeStarted({ kitId, attempt: firstAttempt + i }));
