import { projection } from './projection.js';

/** A role the user holds from now on. */
export const RoleGrantedProjection = projection('RoleGranted', (p, ctx) => {
  ctx.put('users', {
    user_id: p.userId,
    username: null,
    source: null,
    sso_subject: null,
    profile: {},
    roles: { [p.role]: { held: true, by: p.grantedBy, requestId: p.requestId ?? null, reason: null, at: ctx.occurredAt, position: ctx.position } },
    deactivation: null,
    registered_at: null,
    registered_position: null,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
});
