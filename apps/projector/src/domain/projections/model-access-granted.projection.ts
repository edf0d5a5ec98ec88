import { projection } from './projection.js';

/** A user may use a set-up model, by an approved request. */
export const ModelAccessGrantedProjection = projection('ModelAccessGranted', (p, ctx) => {
  ctx.put('model_access', {
    setup_model_id: p.setupModelId,
    user_id: p.userId,
    status: 'granted',
    granted: { requestId: p.requestId, grantedBy: p.grantedBy, at: ctx.occurredAt, position: ctx.position },
    revoked: null,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
});
