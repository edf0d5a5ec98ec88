import { projection } from './projection.js';

/** What a user is called or how to reach them changed: only the fields the event carries. */
export const UserUpdatedProjection = projection('UserUpdated', (p, ctx) => {
  ctx.put('users', {
    user_id: p.userId,
    username: null,
    source: null,
    sso_subject: null,
    profile: {
      ...(p.name === undefined ? {} : { name: { value: p.name, position: ctx.position } }),
      ...(p.email === undefined ? {} : { email: { value: p.email, position: ctx.position } }),
    },
    roles: {},
    deactivation: null,
    registered_at: null,
    registered_position: null,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
});
