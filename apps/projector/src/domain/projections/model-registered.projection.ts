import { projection, timestamp } from './projection.js';

/** A trained model in the registry, with its metrics and lineage. */
export const ModelRegisteredProjection = projection('ModelRegistered', (p, ctx) => {
  ctx.touchKit(p.kitId);
  ctx.put('models', {
    model_id: p.modelId,
    model_version: p.modelVersion,
    kit_id: p.kitId,
    run_id: p.runId,
    algorithm: p.algorithm,
    deck_id: p.deckId,
    dataset_id: p.datasetId,
    metrics: p.metrics,
    r2: p.r2,
    // Models registered before these were recorded have none.
    hyperparameters: p.hyperparameters ?? null,
    params: (p.params ?? null) as Record<string, unknown> | null,
    factors: p.factors ?? null,
    response: p.response ?? null,
    lineage: (p.lineage ?? null) as Record<string, unknown> | null,
    artifact_digest: p.artifactDigest ?? null,
    registered_at: p.registeredAt === undefined ? ctx.occurredAt : timestamp(p.registeredAt, ctx.event),
    position: ctx.position,
  });
});
