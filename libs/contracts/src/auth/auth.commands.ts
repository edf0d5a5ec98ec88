import { IsBoolean, IsIn, IsUrl, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineCommand } from '../define-command.js';
import { ROLES, type Role } from './access-token.js';
import { DECISIONS, type Decision, type UserSource } from './auth.events.js';

// ---- Views the auth service answers with ----

export interface UserView {
  readonly userId: string;
  readonly username: string;
  readonly name: string;
  readonly email: string | null;
  readonly source: UserSource;
  readonly active: boolean;
  readonly roles: Role[];
  readonly createdAt: string;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly user: UserView;
}

export type RequestStatus = 'pending' | Decision;

export interface RoleRequestView {
  readonly requestId: string;
  readonly userId: string;
  readonly role: Role;
  readonly reason: string;
  readonly status: RequestStatus;
  readonly requestedAt: string;
  readonly decision: { readonly by: string; readonly reason: string; readonly at: string } | null;
}

export interface SetupModelView {
  readonly setupModelId: string;
  readonly sourceModelId: string;
  readonly registryModelId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly description: string | null;
  readonly attributes: Record<string, unknown>;
  readonly lineage: string[];
  readonly createdAt: string;
  /** Whether the asking user may predict with it (owner, admin or granted). */
  readonly canUse: boolean;
}

export interface ModelAccessRequestView {
  readonly requestId: string;
  readonly setupModelId: string;
  readonly userId: string;
  readonly reason: string;
  readonly status: RequestStatus;
  readonly requestedAt: string;
  readonly decision: { readonly by: string; readonly reason: string; readonly at: string } | null;
}

/** An answer to a request for something the user already has: nothing was recorded. */
export interface AlreadyGranted {
  readonly status: 'already-granted';
  readonly message: string;
}

export interface RolesAsOf {
  readonly userId: string;
  readonly asOf: string;
  readonly roles: { readonly role: Role; readonly since: string; readonly grantedBy: string; readonly requestId: string | null }[];
}

export interface ModelAccessAsOf {
  readonly setupModelId: string;
  readonly asOf: string;
  readonly users: {
    readonly userId: string;
    readonly as: 'owner' | 'granted';
    readonly since: string;
    readonly requestId: string | null;
    readonly grantedBy: string;
  }[];
}

// ---- Sessions and tokens ----

export class LoginWithPasswordV1 {
  @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}
export const LoginWithPassword = defineCommand<'LoginWithPassword', LoginWithPasswordV1, TokenPair>({
  name: 'LoginWithPassword',
  context: 'auth',
  payload: LoginWithPasswordV1,
});

export class BeginSsoLoginV1 {
  /** A username to prefill at the provider (`login_hint`). */
  @IsOptional() @IsString() @MaxLength(100) loginHint?: string;
  /** Where the provider sends the browser back (the gateway's callback as the browser reaches it; the provider only accepts registered ones). */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) @MaxLength(500) redirectUri?: string;
}
export const BeginSsoLogin = defineCommand<'BeginSsoLogin', BeginSsoLoginV1, { readonly authorizationUrl: string; readonly state: string }>({
  name: 'BeginSsoLogin',
  context: 'auth',
  payload: BeginSsoLoginV1,
});

export class CompleteSsoLoginV1 {
  /** The query string the identity provider redirected back with (code, state, iss or error). */
  @IsString() @MaxLength(4000) query!: string;
}
export const CompleteSsoLogin = defineCommand<'CompleteSsoLogin', CompleteSsoLoginV1, TokenPair>({
  name: 'CompleteSsoLogin',
  context: 'auth',
  payload: CompleteSsoLoginV1,
});

export class RefreshSessionV1 {
  @IsString() @IsNotEmpty() @MaxLength(300) refreshToken!: string;
}
export const RefreshSession = defineCommand<'RefreshSession', RefreshSessionV1, TokenPair>({
  name: 'RefreshSession',
  context: 'auth',
  payload: RefreshSessionV1,
});
export const Logout = defineCommand<'Logout', RefreshSessionV1, { readonly loggedOut: true }>({ name: 'Logout', context: 'auth', payload: RefreshSessionV1 });

export class GetMeV1 {
  /** Also list the user's pending role requests. */
  @IsOptional() @IsBoolean() withPendingRequests?: boolean;
}
export const GetMe = defineCommand<'GetMe', GetMeV1, UserView & { pendingRequests?: RoleRequestView[] }>({ name: 'GetMe', context: 'auth', payload: GetMeV1 });

// ---- Users ----

export class CreateUserV1 {
  @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(200) email?: string;
}
export const CreateUser = defineCommand<'CreateUser', CreateUserV1, UserView>({ name: 'CreateUser', context: 'auth', payload: CreateUserV1 });

export class ListUsersV1 {
  /** Also list deactivated users. */
  @IsOptional() @IsBoolean() includeInactive?: boolean;
}
export const ListUsers = defineCommand<'ListUsers', ListUsersV1, UserView[]>({ name: 'ListUsers', context: 'auth', payload: ListUsersV1 });

export class UserIdV1 {
  @IsUUID() userId!: string;
}
export const GetUser = defineCommand<'GetUser', UserIdV1, UserView>({ name: 'GetUser', context: 'auth', payload: UserIdV1 });

export class UpdateUserV1 {
  @IsUUID() userId!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(200) email?: string;
}
export const UpdateUser = defineCommand<'UpdateUser', UpdateUserV1, UserView>({ name: 'UpdateUser', context: 'auth', payload: UpdateUserV1 });

export class DeactivateUserV1 {
  @IsUUID() userId!: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
export const DeactivateUser = defineCommand<'DeactivateUser', DeactivateUserV1, UserView>({
  name: 'DeactivateUser',
  context: 'auth',
  payload: DeactivateUserV1,
});

export class UserRolesAsOfV1 {
  @IsUUID() userId!: string;
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}
export const UserRolesAsOf = defineCommand<'UserRolesAsOf', UserRolesAsOfV1, RolesAsOf>({ name: 'UserRolesAsOf', context: 'auth', payload: UserRolesAsOfV1 });

// ---- Roles ----

export class RequestRoleV1 {
  @IsString() @IsNotEmpty() @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }) role!: Role;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
export const RequestRole = defineCommand<'RequestRole', RequestRoleV1, RoleRequestView>({ name: 'RequestRole', context: 'auth', payload: RequestRoleV1 });

export class ListRoleRequestsV1 {
  @IsOptional() @IsIn(['pending', ...DECISIONS]) status?: RequestStatus;
}
export const ListRoleRequests = defineCommand<'ListRoleRequests', ListRoleRequestsV1, RoleRequestView[]>({
  name: 'ListRoleRequests',
  context: 'auth',
  payload: ListRoleRequestsV1,
});

export class DecideRequestV1 {
  @IsUUID() requestId!: string;
  @IsIn(DECISIONS) decision!: Decision;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
export const DecideRoleRequest = defineCommand<'DecideRoleRequest', DecideRequestV1, RoleRequestView>({
  name: 'DecideRoleRequest',
  context: 'auth',
  payload: DecideRequestV1,
});

export class RevokeRoleV1 {
  @IsUUID() userId!: string;
  @IsIn(ROLES) role!: Role;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
export const RevokeRole = defineCommand<'RevokeRole', RevokeRoleV1, UserView>({ name: 'RevokeRole', context: 'auth', payload: RevokeRoleV1 });

// ---- Set-up models and access ----

export class SetUpModelV1 {
  @IsUUID() sourceModelId!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsOptional() @IsObject() attributes?: Record<string, unknown>;
}
export const SetUpModel = defineCommand<'SetUpModel', SetUpModelV1, SetupModelView>({ name: 'SetUpModel', context: 'auth', payload: SetUpModelV1 });

export class ListSetupModelsV1 {
  /** Only the models the actor may predict with. */
  @IsOptional() @IsBoolean() usableOnly?: boolean;
}
export const ListSetupModels = defineCommand<'ListSetupModels', ListSetupModelsV1, SetupModelView[]>({
  name: 'ListSetupModels',
  context: 'auth',
  payload: ListSetupModelsV1,
});

export class SetupModelIdV1 {
  @IsUUID() setupModelId!: string;
}
export const GetSetupModel = defineCommand<'GetSetupModel', SetupModelIdV1, SetupModelView>({
  name: 'GetSetupModel',
  context: 'auth',
  payload: SetupModelIdV1,
});

export class RequestModelAccessV1 {
  @IsUUID() setupModelId!: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
export const RequestModelAccess = defineCommand<'RequestModelAccess', RequestModelAccessV1, ModelAccessRequestView | AlreadyGranted>({
  name: 'RequestModelAccess',
  context: 'auth',
  payload: RequestModelAccessV1,
});

export class ListModelAccessRequestsV1 {
  @IsOptional() @IsIn(['pending', ...DECISIONS]) status?: RequestStatus;
}
export const ListModelAccessRequests = defineCommand<'ListModelAccessRequests', ListModelAccessRequestsV1, ModelAccessRequestView[]>({
  name: 'ListModelAccessRequests',
  context: 'auth',
  payload: ListModelAccessRequestsV1,
});

export const DecideModelAccess = defineCommand<'DecideModelAccess', DecideRequestV1, ModelAccessRequestView>({
  name: 'DecideModelAccess',
  context: 'auth',
  payload: DecideRequestV1,
});

export class RevokeModelAccessV1 {
  @IsUUID() setupModelId!: string;
  @IsUUID() userId!: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
export const RevokeModelAccess = defineCommand<'RevokeModelAccess', RevokeModelAccessV1, { readonly revoked: true }>({
  name: 'RevokeModelAccess',
  context: 'auth',
  payload: RevokeModelAccessV1,
});

export class ModelAccessAsOfV1 {
  @IsUUID() setupModelId!: string;
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}
export const GetModelAccessAsOf = defineCommand<'GetModelAccessAsOf', ModelAccessAsOfV1, ModelAccessAsOf>({
  name: 'GetModelAccessAsOf',
  context: 'auth',
  payload: ModelAccessAsOfV1,
});

/** May the actor predict with this set-up model? Answers the registry model to use, or refuses (forbidden / not-found). */
export const CheckModelAccess = defineCommand<'CheckModelAccess', SetupModelIdV1, { readonly setupModelId: string; readonly registryModelId: string }>({
  name: 'CheckModelAccess',
  context: 'auth',
  payload: SetupModelIdV1,
});
