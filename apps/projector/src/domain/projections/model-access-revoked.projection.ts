import { projection } from './projection.js';

/** A user may no longer use a set-up model; the grant stays recorded. */
export const ModelAccessRevokedProjection = projection('ModelAccessRevoked', (p, ctx) => {
  ctx.put('model_access', {
    setup_model_id: p.setupModelId,
    user_id: p.userId,
    status: 'revoked',
    granted: null,
    revoked: { reason: p.reason, revokedBy: p.revokedBy, at: ctx.occurredAt, position: ctx.position },
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
});
