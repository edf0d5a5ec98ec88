import { projection } from './projection.js';

/** A role the user no longer holds; it stays listed, not held, with who revoked it and why. */
export const RoleRevokedProjection = projection('RoleRevoked', (p, ctx) => {
  ctx.put('users', {
    user_id: p.userId,
    username: null,
    source: null,
    sso_subject: null,
    profile: {},
    roles: { [p.role]: { held: false, by: p.revokedBy, requestId: null, reason: p.reason, at: ctx.occurredAt, position: ctx.position } },
    deactivation: null,
    registered_at: null,
    registered_position: null,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
});
