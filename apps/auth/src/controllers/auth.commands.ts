import { Controller } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import {
  BeginSsoLogin,
  type BeginSsoLoginV1,
  CheckModelAccess,
  CompleteSsoLogin,
  type CompleteSsoLoginV1,
  CreateUser,
  type CreateUserV1,
  DeactivateUser,
  type DeactivateUserV1,
  DecideModelAccess,
  DecideRoleRequest,
  type DecideRequestV1,
  DescribeAuth,
  type DescribeAuthResult,
  type DescribeAuthV1,
  GetMe,
  type GetMeV1,
  GetModelAccessAsOf,
  GetSetupModel,
  GetUser,
  ListModelAccessRequests,
  type ListModelAccessRequestsV1,
  ListRoleRequests,
  type ListRoleRequestsV1,
  ListSetupModels,
  type ListSetupModelsV1,
  ListUsers,
  type ListUsersV1,
  LoginWithPassword,
  type LoginWithPasswordV1,
  Logout,
  type ModelAccessAsOfV1,
  RefreshSession,
  type RefreshSessionV1,
  RequestModelAccess,
  type RequestModelAccessV1,
  RequestRole,
  type RequestRoleV1,
  RevokeModelAccess,
  type RevokeModelAccessV1,
  RevokeRole,
  type RevokeRoleV1,
  SetUpModel,
  type SetUpModelV1,
  type SetupModelIdV1,
  UpdateUser,
  type UpdateUserV1,
  type UserIdV1,
  UserRolesAsOf,
  type UserRolesAsOfV1,
} from '@vista/contracts';
import { AsOfUseCase } from '../use-cases/answer-as-of/as-of.use-case.js';
import { DescribeAuthUseCase } from '../use-cases/describe-auth/describe-auth.use-case.js';
import { UsersUseCase } from '../use-cases/manage-users/users.use-case.js';
import { ModelAccessUseCase } from '../use-cases/request-model-access/model-access.use-case.js';
import { RolesUseCase } from '../use-cases/request-role/roles.use-case.js';
import { SetUpModelUseCase } from '../use-cases/set-up-model/set-up-model.use-case.js';
import { SessionsUseCase } from '../use-cases/start-session/sessions.use-case.js';

type M<P> = CommandMessage<P>;

/** The auth service's commands (NATS request/reply, queue group `auth`). Each use case checks the actor against the log. */
@Controller()
export class AuthCommands {
  constructor(
    private readonly describeAuth: DescribeAuthUseCase,
    private readonly sessions: SessionsUseCase,
    private readonly users: UsersUseCase,
    private readonly roles: RolesUseCase,
    private readonly models: SetUpModelUseCase,
    private readonly access: ModelAccessUseCase,
    private readonly asOf: AsOfUseCase,
  ) {}

  @OnCommand(DescribeAuth)
  onDescribeAuth(@CommandInput(DescribeAuth) command: M<DescribeAuthV1>): Promise<DescribeAuthResult> {
    return this.describeAuth.execute(command.payload);
  }

  @OnCommand(LoginWithPassword)
  onLogin(@CommandInput(LoginWithPassword) c: M<LoginWithPasswordV1>) {
    return this.sessions.loginWithPassword(c);
  }

  @OnCommand(BeginSsoLogin)
  onBeginSso(@CommandInput(BeginSsoLogin) c: M<BeginSsoLoginV1>) {
    return this.sessions.beginSso(c);
  }

  @OnCommand(CompleteSsoLogin)
  onCompleteSso(@CommandInput(CompleteSsoLogin) c: M<CompleteSsoLoginV1>) {
    return this.sessions.completeSso(c);
  }

  @OnCommand(RefreshSession)
  onRefresh(@CommandInput(RefreshSession) c: M<RefreshSessionV1>) {
    return this.sessions.refresh(c);
  }

  @OnCommand(Logout)
  onLogout(@CommandInput(Logout) c: M<RefreshSessionV1>) {
    return this.sessions.logout(c);
  }

  @OnCommand(GetMe)
  onMe(@CommandInput(GetMe) c: M<GetMeV1>) {
    return this.sessions.me(c);
  }

  @OnCommand(CreateUser)
  onCreateUser(@CommandInput(CreateUser) c: M<CreateUserV1>) {
    return this.users.create(c);
  }

  @OnCommand(ListUsers)
  onListUsers(@CommandInput(ListUsers) c: M<ListUsersV1>) {
    return this.users.list(c);
  }

  @OnCommand(GetUser)
  onGetUser(@CommandInput(GetUser) c: M<UserIdV1>) {
    return this.users.get(c);
  }

  @OnCommand(UpdateUser)
  onUpdateUser(@CommandInput(UpdateUser) c: M<UpdateUserV1>) {
    return this.users.update(c);
  }

  @OnCommand(DeactivateUser)
  onDeactivateUser(@CommandInput(DeactivateUser) c: M<DeactivateUserV1>) {
    return this.users.deactivate(c);
  }

  @OnCommand(UserRolesAsOf)
  onRolesAsOf(@CommandInput(UserRolesAsOf) c: M<UserRolesAsOfV1>) {
    return this.asOf.userRoles(c);
  }

  @OnCommand(RequestRole)
  onRequestRole(@CommandInput(RequestRole) c: M<RequestRoleV1>) {
    return this.roles.request(c);
  }

  @OnCommand(ListRoleRequests)
  onListRoleRequests(@CommandInput(ListRoleRequests) c: M<ListRoleRequestsV1>) {
    return this.roles.list(c);
  }

  @OnCommand(DecideRoleRequest)
  onDecideRoleRequest(@CommandInput(DecideRoleRequest) c: M<DecideRequestV1>) {
    return this.roles.decide(c);
  }

  @OnCommand(RevokeRole)
  onRevokeRole(@CommandInput(RevokeRole) c: M<RevokeRoleV1>) {
    return this.roles.revoke(c);
  }

  @OnCommand(SetUpModel)
  onSetUpModel(@CommandInput(SetUpModel) c: M<SetUpModelV1>) {
    return this.models.setUp(c);
  }

  @OnCommand(ListSetupModels)
  onListSetupModels(@CommandInput(ListSetupModels) c: M<ListSetupModelsV1>) {
    return this.models.list(c);
  }

  @OnCommand(GetSetupModel)
  onGetSetupModel(@CommandInput(GetSetupModel) c: M<SetupModelIdV1>) {
    return this.models.get(c);
  }

  @OnCommand(CheckModelAccess)
  onCheckModelAccess(@CommandInput(CheckModelAccess) c: M<SetupModelIdV1>) {
    return this.models.check(c);
  }

  @OnCommand(RequestModelAccess)
  onRequestModelAccess(@CommandInput(RequestModelAccess) c: M<RequestModelAccessV1>) {
    return this.access.request(c);
  }

  @OnCommand(ListModelAccessRequests)
  onListModelAccessRequests(@CommandInput(ListModelAccessRequests) c: M<ListModelAccessRequestsV1>) {
    return this.access.list(c);
  }

  @OnCommand(DecideModelAccess)
  onDecideModelAccess(@CommandInput(DecideModelAccess) c: M<DecideRequestV1>) {
    return this.access.decide(c);
  }

  @OnCommand(RevokeModelAccess)
  onRevokeModelAccess(@CommandInput(RevokeModelAccess) c: M<RevokeModelAccessV1>) {
    return this.access.revoke(c);
  }

  @OnCommand(GetModelAccessAsOf)
  onModelAccessAsOf(@CommandInput(GetModelAccessAsOf) c: M<ModelAccessAsOfV1>) {
    return this.asOf.modelAccess(c);
  }
}
