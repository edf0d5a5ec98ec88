import { projection } from './projection.js';

/** A role request approved or rejected, by whom and why (the grant itself is a `RoleGranted`). */
export const RoleRequestDecidedProjection = projection('RoleRequestDecided', (p, ctx) => {
  ctx.put('role_requests', {
    request_id: p.requestId,
    user_id: p.userId,
    role: p.role,
    reason: null,
    requested_at: null,
    status: p.decision,
    decided_by: p.decidedBy,
    decision_reason: p.reason,
    decided_at: ctx.occurredAt,
    position: ctx.position,
  });
});
