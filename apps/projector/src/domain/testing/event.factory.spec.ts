import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { findEvent, validateAs } from '@vista/contracts';
import { EventFactory, type JobContext } from './event.factory.js';

describe('EventFactory', () => {
  it('builds events whose payloads their contracts accept, as the projector consumer checks them', () => {
    const f = new EventFactory();
    const runId = randomUUID();
    const job: JobContext = { kitId: 3, runId, jobId: randomUUID(), attempt: 1 };
    const envelopes = [
      ...f.kitRun({ kitId: 3, runId }),
      ...f.kitRun({ kitId: 4, stopAt: { task: 'training', ending: 'FAILED' } }),
      ...f.kitRun({ kitId: 5, stopAt: { task: 'optimize', ending: 'TIMEOUT' } }),
      ...f.kitRun({ kitId: 6, stopAt: { task: 'doe', ending: 'CANCELLED' } }),
      f.kitRunStopped(3, runId),
      f.kitRunRetried(3, runId, 'again'),
      f.jobLogged(job, 'doe', [{ message: 'hello', task: 'doe' }]),
      f.deckIngested(),
    ];
    for (const envelope of envelopes) {
      expect(() => validateAs(findEvent(envelope.type)!.payload as new () => object, envelope.data, envelope.type)).not.toThrow();
    }
  });
});
