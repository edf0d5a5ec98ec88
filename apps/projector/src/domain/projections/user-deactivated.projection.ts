import { projection } from './projection.js';

/** The user may no longer log in: marked on the user, and listed for the gateway to refuse their tokens. */
export const UserDeactivatedProjection = projection('UserDeactivated', (p, ctx) => {
  ctx.put('users', {
    user_id: p.userId,
    username: null,
    source: null,
    sso_subject: null,
    profile: {},
    roles: {},
    deactivation: { at: ctx.occurredAt, reason: p.reason ?? null, position: ctx.position },
    registered_at: null,
    registered_position: null,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
  ctx.put('deactivated_users', { user_id: p.userId, deactivated_at: ctx.occurredAt, position: ctx.position });
});
