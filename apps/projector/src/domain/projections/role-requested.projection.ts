import { projection } from './projection.js';

/** A user asked for a role: pending until decided. */
export const RoleRequestedProjection = projection('RoleRequested', (p, ctx) => {
  ctx.put('role_requests', {
    request_id: p.requestId,
    user_id: p.userId,
    role: p.role,
    reason: p.reason,
    requested_at: ctx.occurredAt,
    status: 'pending',
    decided_by: null,
    decision_reason: null,
    decided_at: null,
    position: ctx.position,
  });
});
