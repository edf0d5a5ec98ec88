import { projection } from './projection.js';

/** A set-up model: a copy of a registered model that general users may ask to use. */
export const ModelSetUpProjection = projection('ModelSetUp', (p, ctx) => {
  ctx.put('setup_models', {
    setup_model_id: p.setupModelId,
    source_model_id: p.sourceModelId,
    registry_model_id: p.registryModelId,
    owner_id: p.ownerId,
    name: p.name,
    description: p.description ?? null,
    attributes: p.attributes,
    lineage: p.lineage,
    set_up_at: ctx.occurredAt,
    position: ctx.position,
  });
});
