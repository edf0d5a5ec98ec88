import type { StageSpec } from '@vista/jobs';

/**
 * The deck-collection job: one step, `deck_collection`, in the run's own `deck-run-<runId>` stream,
 * beside the run's KitRunStarted / KitRunStopped / KitRunRetried (the deck service owns the run).
 */
export const DECK_STAGE: StageSpec = {
  jobType: 'deck',
  streamPrefix: 'deck-run-',
  steps: ['deck_collection'],
  events: {
    requested: 'DeckCollectionRequested',
    queued: 'DeckCollectionQueued',
    started: 'DeckCollectionStarted',
    failed: 'DeckCollectionFailed',
    timedOut: 'DeckCollectionTimedOut',
    cancelled: 'DeckCollectionCancelled',
    completed: { deck_collection: 'DeckCollectionCompleted' },
  },
  stepInEvents: false,
};
