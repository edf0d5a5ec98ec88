import { projection } from './projection.js';

/** A user as first registered: who they are and where from; roles come with their own events. */
export const UserRegisteredProjection = projection('UserRegistered', (p, ctx) => {
  ctx.put('users', {
    user_id: p.userId,
    username: p.username,
    source: p.source,
    sso_subject: p.ssoSubject ?? null,
    profile: { name: { value: p.name, position: ctx.position }, email: { value: p.email ?? null, position: ctx.position } },
    roles: {},
    deactivation: null,
    registered_at: ctx.occurredAt,
    registered_position: ctx.position,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
});
