import type { Decision, ModelAccessRequestView, PayloadOf, Role, RoleRequestView, SetupModelView, UserSource, UserView } from '@vista/contracts';

/** One event of the auth log as the fold needs it. */
export interface AuthEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: Date;
  readonly position: number;
}

export interface Grant {
  readonly since: string;
  readonly grantedBy: string;
  readonly requestId: string | null;
}

export interface UserState {
  readonly userId: string;
  readonly username: string;
  name: string;
  email: string | null;
  readonly source: UserSource;
  readonly ssoSubject: string | null;
  active: boolean;
  readonly roles: Map<Role, Grant>;
  readonly createdAt: string;
}

export interface RequestState {
  readonly requestId: string;
  readonly userId: string;
  readonly reason: string;
  readonly requestedAt: string;
  status: 'pending' | Decision;
  decision: { by: string; reason: string; at: string } | null;
}

export interface RoleRequestState extends RequestState {
  readonly role: Role;
}

export interface AccessRequestState extends RequestState {
  readonly setupModelId: string;
}

export interface SetupModelState {
  readonly setupModelId: string;
  readonly sourceModelId: string;
  readonly registryModelId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly description: string | null;
  readonly attributes: Record<string, unknown>;
  readonly lineage: string[];
  readonly createdAt: string;
  /** User id → the grant that lets them use it. */
  readonly grants: Map<string, Grant>;
}

/** Everything the auth log says, folded: users with their roles, sessions, requests, set-up models and grants. */
export interface AuthState {
  readonly users: Map<string, UserState>;
  readonly usernames: Map<string, string>;
  readonly ssoSubjects: Map<string, string>;
  /** Session id → user id and whether it is still open. */
  readonly sessions: Map<string, { userId: string; open: boolean }>;
  readonly roleRequests: Map<string, RoleRequestState>;
  readonly models: Map<string, SetupModelState>;
  readonly accessRequests: Map<string, AccessRequestState>;
  /** The position of the last event folded in. */
  position: number;
}

export const emptyAuthState = (): AuthState => ({
  users: new Map(),
  usernames: new Map(),
  ssoSubjects: new Map(),
  sessions: new Map(),
  roleRequests: new Map(),
  models: new Map(),
  accessRequests: new Map(),
  position: 0,
});

/** Folds one event into the state (in place; the state is private to its owner). Unknown types are skipped. */
export function evolve(state: AuthState, event: AuthEvent): AuthState {
  const at = event.occurredAt.toISOString();
  state.position = Math.max(state.position, event.position);
  switch (event.type) {
    case 'UserRegistered': {
      const p = event.data as unknown as PayloadOf<'UserRegistered'>;
      state.users.set(p.userId, {
        userId: p.userId,
        username: p.username,
        name: p.name,
        email: p.email ?? null,
        source: p.source,
        ssoSubject: p.ssoSubject ?? null,
        active: true,
        roles: new Map(),
        createdAt: at,
      });
      state.usernames.set(p.username.toLowerCase(), p.userId);
      if (p.ssoSubject) state.ssoSubjects.set(p.ssoSubject, p.userId);
      break;
    }
    case 'UserUpdated': {
      const p = event.data as unknown as PayloadOf<'UserUpdated'>;
      const user = state.users.get(p.userId);
      if (user && p.name !== undefined) user.name = p.name;
      if (user && p.email !== undefined) user.email = p.email;
      break;
    }
    case 'UserDeactivated': {
      const p = event.data as unknown as PayloadOf<'UserDeactivated'>;
      const user = state.users.get(p.userId);
      if (user) user.active = false;
      break;
    }
    case 'SessionStarted': {
      const p = event.data as unknown as PayloadOf<'SessionStarted'>;
      state.sessions.set(p.sessionId, { userId: p.userId, open: true });
      break;
    }
    case 'SessionEnded': {
      const p = event.data as unknown as PayloadOf<'SessionEnded'>;
      const session = state.sessions.get(p.sessionId);
      if (session) session.open = false;
      break;
    }
    case 'RoleRequested': {
      const p = event.data as unknown as PayloadOf<'RoleRequested'>;
      state.roleRequests.set(p.requestId, {
        requestId: p.requestId,
        userId: p.userId,
        role: p.role,
        reason: p.reason,
        requestedAt: at,
        status: 'pending',
        decision: null,
      });
      break;
    }
    case 'RoleRequestDecided': {
      const p = event.data as unknown as PayloadOf<'RoleRequestDecided'>;
      const request = state.roleRequests.get(p.requestId);
      if (request) {
        request.status = p.decision;
        request.decision = { by: p.decidedBy, reason: p.reason, at };
      }
      break;
    }
    case 'RoleGranted': {
      const p = event.data as unknown as PayloadOf<'RoleGranted'>;
      state.users.get(p.userId)?.roles.set(p.role, { since: at, grantedBy: p.grantedBy, requestId: p.requestId ?? null });
      break;
    }
    case 'RoleRevoked': {
      const p = event.data as unknown as PayloadOf<'RoleRevoked'>;
      state.users.get(p.userId)?.roles.delete(p.role);
      break;
    }
    case 'ModelSetUp': {
      const p = event.data as unknown as PayloadOf<'ModelSetUp'>;
      state.models.set(p.setupModelId, {
        setupModelId: p.setupModelId,
        sourceModelId: p.sourceModelId,
        registryModelId: p.registryModelId,
        ownerId: p.ownerId,
        name: p.name,
        description: p.description ?? null,
        attributes: p.attributes,
        lineage: p.lineage,
        createdAt: at,
        grants: new Map(),
      });
      break;
    }
    case 'ModelAccessRequested': {
      const p = event.data as unknown as PayloadOf<'ModelAccessRequested'>;
      state.accessRequests.set(p.requestId, {
        requestId: p.requestId,
        setupModelId: p.setupModelId,
        userId: p.userId,
        reason: p.reason,
        requestedAt: at,
        status: 'pending',
        decision: null,
      });
      break;
    }
    case 'ModelAccessDecided': {
      const p = event.data as unknown as PayloadOf<'ModelAccessDecided'>;
      const request = state.accessRequests.get(p.requestId);
      if (request) {
        request.status = p.decision;
        request.decision = { by: p.decidedBy, reason: p.reason, at };
      }
      break;
    }
    case 'ModelAccessGranted': {
      const p = event.data as unknown as PayloadOf<'ModelAccessGranted'>;
      state.models.get(p.setupModelId)?.grants.set(p.userId, { since: at, grantedBy: p.grantedBy, requestId: p.requestId });
      break;
    }
    case 'ModelAccessRevoked': {
      const p = event.data as unknown as PayloadOf<'ModelAccessRevoked'>;
      state.models.get(p.setupModelId)?.grants.delete(p.userId);
      break;
    }
    default:
      break;
  }
  return state;
}

/** The state as of an instant: the fold of every event that occurred at or before it. */
export function foldAsOf(events: readonly AuthEvent[], asOf: Date): AuthState {
  const state = emptyAuthState();
  for (const event of events) if (event.occurredAt.getTime() <= asOf.getTime()) evolve(state, event);
  return state;
}

// ---- Views ----

export const rolesOf = (user: UserState | undefined): Role[] => (user ? [...user.roles.keys()].sort() : []);

export const userView = (user: UserState): UserView => ({
  userId: user.userId,
  username: user.username,
  name: user.name,
  email: user.email,
  source: user.source,
  active: user.active,
  roles: rolesOf(user),
  createdAt: user.createdAt,
});

export const roleRequestView = (r: RoleRequestState): RoleRequestView => ({
  requestId: r.requestId,
  userId: r.userId,
  role: r.role,
  reason: r.reason,
  status: r.status,
  requestedAt: r.requestedAt,
  decision: r.decision,
});

export const accessRequestView = (r: AccessRequestState): ModelAccessRequestView => ({
  requestId: r.requestId,
  setupModelId: r.setupModelId,
  userId: r.userId,
  reason: r.reason,
  status: r.status,
  requestedAt: r.requestedAt,
  decision: r.decision,
});

/** Owner, admin or a granted user may use a set-up model. */
export function canUseModel(state: AuthState, model: SetupModelState, userId: string): boolean {
  if (model.ownerId === userId || model.grants.has(userId)) return true;
  return state.users.get(userId)?.roles.has('admin') ?? false;
}

export const setupModelView = (state: AuthState, m: SetupModelState, viewer: string): SetupModelView => ({
  setupModelId: m.setupModelId,
  sourceModelId: m.sourceModelId,
  registryModelId: m.registryModelId,
  ownerId: m.ownerId,
  name: m.name,
  description: m.description,
  attributes: m.attributes,
  lineage: m.lineage,
  createdAt: m.createdAt,
  canUse: canUseModel(state, m, viewer),
});
