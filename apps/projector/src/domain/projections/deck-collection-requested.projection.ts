import { lifecycleProjection } from './job-lifecycle.projection.js';

/** A deck collection asked for: the deck or file it reads. */
export const DeckCollectionRequestedProjection = lifecycleProjection('DeckCollectionRequested', {
  stageColumns: (p) => ({ deck_id: p.deckId ?? null, source_path: p.sourcePath ?? null }),
});
