import type { DeckProfile } from '@vista/read-model';
import { projection, type ProjectionContext, timestamp } from './projection.js';

export const DeckUpdatedProjection = projection('DeckUpdated', (p, ctx) => {
  const at = timestamp(p.updatedAt, ctx.event);
  putProfile(ctx, p.deckId, { ...profileOf(p), archived: false, archivedAt: null, updatedAt: at });
});

export const DeckArchivedProjection = projection('DeckArchived', (p, ctx) => {
  const at = timestamp(p.archivedAt, ctx.event);
  putProfile(ctx, p.deckId, { ...profileOf(p), archived: true, archivedAt: at, updatedAt: at });
});

const profileOf = (p: { name: string; description?: string; datasetType: string; groundTruth?: string }) => ({
  name: p.name,
  description: p.description ?? null,
  datasetType: p.datasetType,
  groundTruth: p.groundTruth ?? null,
});

/**
 * The deck row an update or archive writes: position 0, so its placeholder columns never win over the
 * ingested deck's (`latest` needs a higher position, `once` keeps the first non-null); the profile is
 * stamped with its event's position and merges on that.
 */
function putProfile(ctx: ProjectionContext, deckId: string, profile: Omit<DeckProfile, 'updatedBy' | 'position'>): void {
  ctx.put('decks', {
    deck_id: deckId,
    name: profile.name,
    dataset_type: profile.datasetType,
    format: 'csv',
    factors: [],
    responses: [],
    row_count: 0,
    statistics: {},
    ground_truth: profile.groundTruth,
    ingested_at: ctx.occurredAt,
    uploaded_by: null,
    profile: { ...profile, updatedBy: ctx.event.envelope.metadata.actor, position: ctx.position },
    position: 0,
  });
}
