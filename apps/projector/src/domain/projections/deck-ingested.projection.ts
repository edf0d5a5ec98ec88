import { projection, timestamp } from './projection.js';

/** A deck stored: its columns, size and statistics, and its first profile. */
export const DeckIngestedProjection = projection('DeckIngested', (p, ctx) => {
  const ingestedAt = timestamp(p.ingestedAt, ctx.event);
  ctx.put('decks', {
    deck_id: p.deckId,
    name: p.name,
    dataset_type: p.datasetType,
    format: p.format,
    factors: p.factors,
    responses: p.responses,
    row_count: p.rowCount,
    statistics: p.statistics,
    ground_truth: p.groundTruth ?? null,
    ingested_at: ingestedAt,
    uploaded_by: ctx.event.envelope.metadata.actor,
    profile: {
      name: p.name,
      description: null,
      datasetType: p.datasetType,
      groundTruth: p.groundTruth ?? null,
      archived: false,
      archivedAt: null,
      updatedAt: ingestedAt,
      updatedBy: ctx.event.envelope.metadata.actor,
      position: ctx.position,
    },
    position: ctx.position,
  });
});
