import { ConflictError, type Decision, ForbiddenError, NotFoundError, type NewEventLike, type Role, ValidationError } from './auth-decision.types.js';
import { type AuthState, type SetupModelState, type UserState, canUseModel } from './auth-state.js';

/** Decisions of the auth service: pure functions of the folded state, a command and its actor, answering events or refusing. */

const isAdmin = (state: AuthState, userId: string) => state.users.get(userId)?.roles.has('admin') ?? false;

/** The acting user, who must exist and be active. */
export function activeUser(state: AuthState, actor: string): UserState {
  const user = state.users.get(actor);
  if (!user || !user.active) throw new ForbiddenError('the acting user is unknown or deactivated');
  return user;
}

export function requireAdmin(state: AuthState, actor: string): UserState {
  const user = activeUser(state, actor);
  if (!user.roles.has('admin')) throw new ForbiddenError('only an admin may do this');
  return user;
}

/** The user `userId`, readable by themselves or an admin. */
export function userVisibleTo(state: AuthState, userId: string, actor: string): UserState {
  activeUser(state, actor);
  const user = state.users.get(userId);
  if (!user || (userId !== actor && !isAdmin(state, actor))) throw new NotFoundError(`user ${userId} does not exist`);
  return user;
}

export function decideRequestRole(state: AuthState, actor: string, requestId: string, role: Role, reason: string): NewEventLike[] {
  const user = activeUser(state, actor);
  if (!reason.trim()) throw new ValidationError('reason must not be empty', [{ path: 'reason', message: 'must not be empty' }]);
  if (user.roles.has(role)) throw new ConflictError(`role ${role} is already held by ${user.username}`);
  const pending = [...state.roleRequests.values()].find((r) => r.userId === actor && r.role === role && r.status === 'pending');
  if (pending) throw new ConflictError(`a request for role ${role} is already pending (${pending.requestId})`);
  return [{ type: 'RoleRequested', data: { requestId, userId: actor, role, reason: reason.trim() } }];
}

export function decideRoleDecision(state: AuthState, actor: string, requestId: string, decision: Decision, reason: string): NewEventLike[] {
  requireAdmin(state, actor);
  const request = state.roleRequests.get(requestId);
  if (!request) throw new NotFoundError(`role request ${requestId} does not exist`);
  if (request.status !== 'pending') throw new ConflictError(`role request ${requestId} was already ${request.status}`);
  const decided: NewEventLike = {
    type: 'RoleRequestDecided',
    data: { requestId, userId: request.userId, role: request.role, decision, reason: reason.trim(), decidedBy: actor },
  };
  const holder = state.users.get(request.userId);
  if (decision === 'rejected' || !holder || holder.roles.has(request.role)) return [decided];
  return [decided, { type: 'RoleGranted', data: { userId: request.userId, role: request.role, requestId, grantedBy: actor } }];
}

export function decideRevokeRole(state: AuthState, actor: string, userId: string, role: Role, reason: string): NewEventLike[] {
  requireAdmin(state, actor);
  const user = state.users.get(userId);
  if (!user) throw new NotFoundError(`user ${userId} does not exist`);
  if (!user.roles.has(role)) throw new ConflictError(`${user.username} does not hold role ${role}`);
  return [{ type: 'RoleRevoked', data: { userId, role, reason, revokedBy: actor } }];
}

/** A set-up model the actor may see: owner, admin or granted (others get not-found, so ids reveal nothing). */
export function modelVisibleTo(state: AuthState, setupModelId: string, actor: string): SetupModelState {
  const model = state.models.get(setupModelId);
  if (!model || !canUseModel(state, model, actor)) throw new NotFoundError(`set-up model ${setupModelId} does not exist`);
  return model;
}

export function decideRequestModelAccess(
  state: AuthState,
  actor: string,
  requestId: string,
  setupModelId: string,
  reason: string,
): NewEventLike[] | { alreadyGranted: string } {
  activeUser(state, actor);
  const model = state.models.get(setupModelId);
  if (!model) throw new NotFoundError(`set-up model ${setupModelId} does not exist`);
  if (canUseModel(state, model, actor)) return { alreadyGranted: `you can already use set-up model ${model.name}` };
  const pending = [...state.accessRequests.values()].find((r) => r.userId === actor && r.setupModelId === setupModelId && r.status === 'pending');
  if (pending) throw new ConflictError(`a request for access to ${model.name} is already pending (${pending.requestId})`);
  return [{ type: 'ModelAccessRequested', data: { requestId, setupModelId, userId: actor, reason: reason.trim() } }];
}

export function decideModelAccessDecision(state: AuthState, actor: string, requestId: string, decision: Decision, reason: string): NewEventLike[] {
  activeUser(state, actor);
  const request = state.accessRequests.get(requestId);
  const model = request ? state.models.get(request.setupModelId) : undefined;
  if (!request || !model) throw new NotFoundError(`model access request ${requestId} does not exist`);
  if (model.ownerId !== actor && !isAdmin(state, actor)) {
    // The requester sees their own request but may not decide it; anyone else learns nothing.
    if (request.userId === actor) throw new ForbiddenError('only the model owner or an admin may decide a model access request');
    throw new NotFoundError(`model access request ${requestId} does not exist`);
  }
  if (request.status !== 'pending') throw new ConflictError(`model access request ${requestId} was already ${request.status}`);
  const decided: NewEventLike = {
    type: 'ModelAccessDecided',
    data: { requestId, setupModelId: model.setupModelId, userId: request.userId, decision, reason: reason.trim(), decidedBy: actor },
  };
  if (decision === 'rejected' || model.grants.has(request.userId)) return [decided];
  return [decided, { type: 'ModelAccessGranted', data: { setupModelId: model.setupModelId, userId: request.userId, requestId, grantedBy: actor } }];
}

export function decideRevokeModelAccess(state: AuthState, actor: string, setupModelId: string, userId: string, reason: string): NewEventLike[] {
  activeUser(state, actor);
  const model = state.models.get(setupModelId);
  if (!model || (model.ownerId !== actor && !isAdmin(state, actor))) throw new NotFoundError(`set-up model ${setupModelId} does not exist`);
  if (!model.grants.has(userId)) throw new ConflictError(`user ${userId} holds no access grant to ${model.name}`);
  return [{ type: 'ModelAccessRevoked', data: { setupModelId, userId, reason, revokedBy: actor } }];
}
