import { IsArray, IsObject, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { ROLES, type Role } from './access-token.js';

/** How a user first came to be: an SSO login, the local admin bootstrap, or an admin creating them. */
export const USER_SOURCES = ['sso', 'bootstrap', 'admin'] as const;
export type UserSource = (typeof USER_SOURCES)[number];
export const DECISIONS = ['approved', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

export class UserRegisteredV1 {
  @IsUUID() userId!: string;
  @IsString() @MaxLength(100) username!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(200) email?: string | null;
  @IsIn(USER_SOURCES) source!: UserSource;
  /** The identity provider's subject for SSO users. */
  @IsOptional() @IsString() @MaxLength(300) ssoSubject?: string | null;
}
export const UserRegistered = defineEvent({ type: 'UserRegistered', version: 1, context: 'auth', payload: UserRegisteredV1, subjectKey: (p) => p.userId });

export class UserUpdatedV1 {
  @IsUUID() userId!: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(200) email?: string | null;
}
export const UserUpdated = defineEvent({ type: 'UserUpdated', version: 1, context: 'auth', payload: UserUpdatedV1, subjectKey: (p) => p.userId });

/** The user can no longer log in; their sessions end and their access tokens stop being honoured. */
export class UserDeactivatedV1 {
  @IsUUID() userId!: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string | null;
}
export const UserDeactivated = defineEvent({ type: 'UserDeactivated', version: 1, context: 'auth', payload: UserDeactivatedV1, subjectKey: (p) => p.userId });

export class SessionStartedV1 {
  @IsUUID() sessionId!: string;
  @IsUUID() userId!: string;
  @IsIn(['sso', 'password']) method!: 'sso' | 'password';
}
export const SessionStarted = defineEvent({ type: 'SessionStarted', version: 1, context: 'auth', payload: SessionStartedV1, subjectKey: (p) => p.userId });

export class SessionEndedV1 {
  @IsUUID() sessionId!: string;
  @IsUUID() userId!: string;
  /** `logout`, `refresh-token-reused` or `user-deactivated`. */
  @IsIn(['logout', 'refresh-token-reused', 'user-deactivated']) reason!: 'logout' | 'refresh-token-reused' | 'user-deactivated';
}
export const SessionEnded = defineEvent({ type: 'SessionEnded', version: 1, context: 'auth', payload: SessionEndedV1, subjectKey: (p) => p.userId });

export class RoleRequestedV1 {
  @IsUUID() requestId!: string;
  @IsUUID() userId!: string;
  @IsIn(ROLES) role!: Role;
  @IsString() @MaxLength(1000) reason!: string;
}
export const RoleRequested = defineEvent({ type: 'RoleRequested', version: 1, context: 'auth', payload: RoleRequestedV1, subjectKey: (p) => p.userId });

export class RoleRequestDecidedV1 {
  @IsUUID() requestId!: string;
  @IsUUID() userId!: string;
  @IsIn(ROLES) role!: Role;
  @IsIn(DECISIONS) decision!: Decision;
  @IsString() @MaxLength(1000) reason!: string;
  @IsUUID() decidedBy!: string;
}
export const RoleRequestDecided = defineEvent({
  type: 'RoleRequestDecided',
  version: 1,
  context: 'auth',
  payload: RoleRequestDecidedV1,
  subjectKey: (p) => p.userId,
});

/** A role held from now on: by an approved request, the bootstrap, the SSO admin list, or an admin. */
export class RoleGrantedV1 {
  @IsUUID() userId!: string;
  @IsIn(ROLES) role!: Role;
  /** The approved request, when one granted it. */
  @IsOptional() @IsUUID() requestId?: string | null;
  /** Who granted it: a user id, or `system:bootstrap` / `system:sso-admins`. */
  @IsString() @MaxLength(100) grantedBy!: string;
}
export const RoleGranted = defineEvent({ type: 'RoleGranted', version: 1, context: 'auth', payload: RoleGrantedV1, subjectKey: (p) => p.userId });

export class RoleRevokedV1 {
  @IsUUID() userId!: string;
  @IsIn(ROLES) role!: Role;
  @IsString() @MaxLength(1000) reason!: string;
  @IsUUID() revokedBy!: string;
}
export const RoleRevoked = defineEvent({ type: 'RoleRevoked', version: 1, context: 'auth', payload: RoleRevokedV1, subjectKey: (p) => p.userId });

/** A registered model copied into a set-up model that general users may ask to use. */
export class ModelSetUpV1 {
  @IsUUID() setupModelId!: string;
  /** The registry model (or set-up model) it was copied from. */
  @IsUUID() sourceModelId!: string;
  /** The registry model at the root of the lineage (predictions use it). */
  @IsUUID() registryModelId!: string;
  @IsUUID() ownerId!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @IsObject() attributes!: Record<string, unknown>;
  /** The chain of model ids from this copy back to the registry model, newest first. */
  @IsArray() @IsUUID('all', { each: true }) lineage!: string[];
}
export const ModelSetUp = defineEvent({ type: 'ModelSetUp', version: 1, context: 'auth', payload: ModelSetUpV1, subjectKey: (p) => p.setupModelId });

export class ModelAccessRequestedV1 {
  @IsUUID() requestId!: string;
  @IsUUID() setupModelId!: string;
  @IsUUID() userId!: string;
  @IsString() @MaxLength(1000) reason!: string;
}
export const ModelAccessRequested = defineEvent({
  type: 'ModelAccessRequested',
  version: 1,
  context: 'auth',
  payload: ModelAccessRequestedV1,
  subjectKey: (p) => p.setupModelId,
});

export class ModelAccessDecidedV1 {
  @IsUUID() requestId!: string;
  @IsUUID() setupModelId!: string;
  @IsUUID() userId!: string;
  @IsIn(DECISIONS) decision!: Decision;
  @IsString() @MaxLength(1000) reason!: string;
  @IsUUID() decidedBy!: string;
}
export const ModelAccessDecided = defineEvent({
  type: 'ModelAccessDecided',
  version: 1,
  context: 'auth',
  payload: ModelAccessDecidedV1,
  subjectKey: (p) => p.setupModelId,
});

export class ModelAccessGrantedV1 {
  @IsUUID() setupModelId!: string;
  @IsUUID() userId!: string;
  /** The approved request that granted it. */
  @IsUUID() requestId!: string;
  @IsUUID() grantedBy!: string;
}
export const ModelAccessGranted = defineEvent({
  type: 'ModelAccessGranted',
  version: 1,
  context: 'auth',
  payload: ModelAccessGrantedV1,
  subjectKey: (p) => p.setupModelId,
});

export class ModelAccessRevokedV1 {
  @IsUUID() setupModelId!: string;
  @IsUUID() userId!: string;
  @IsString() @MaxLength(1000) reason!: string;
  @IsUUID() revokedBy!: string;
}
export const ModelAccessRevoked = defineEvent({
  type: 'ModelAccessRevoked',
  version: 1,
  context: 'auth',
  payload: ModelAccessRevokedV1,
  subjectKey: (p) => p.setupModelId,
});
