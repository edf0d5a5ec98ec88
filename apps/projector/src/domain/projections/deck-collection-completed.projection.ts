import { lifecycleProjection, resultOf } from './job-lifecycle.projection.js';

/** The deck collected: the stored deck, its size and columns. */
export const DeckCollectionCompletedProjection = lifecycleProjection('DeckCollectionCompleted', {
  result: resultOf,
  stageColumns: (p) => ({ deck_id: p.deckId, row_count: p.rowCount, factors: p.factors, responses: p.responses }),
});
