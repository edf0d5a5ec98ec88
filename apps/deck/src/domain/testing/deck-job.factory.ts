import type { DeckCollectionResult, DeckJobState } from '../deck-job.js';

/** Builds deck-job states and results for tests. */
export const DeckJobFactory = {
  create(overrides: Partial<DeckJobState> = {}): DeckJobState {
    return {
      jobId: '6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f',
      runId: '0b7e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      kitId: 42,
      status: 'PENDING',
      attempt: 1,
      requestedAt: '2025-03-01T09:00:00.000Z',
      ...overrides,
    };
  },

  result(overrides: Partial<DeckCollectionResult> = {}): DeckCollectionResult {
    return { deckId: 'deck-7', rowCount: 120, factors: ['x1', 'x2'], responses: ['y'], ...overrides };
  },
};
