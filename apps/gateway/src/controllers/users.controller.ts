import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, CreateUser, DeactivateUser, GetUser, ListUsers, RevokeRole, UpdateUser, UserRolesAsOf } from '@vista/contracts';
import { Caller } from '@vista/identity';
import { IdentityCommands } from '../commands/identity.commands.js';
import {
  AsOfQuery,
  CreateUserRequest,
  DeactivateUserQuery,
  RevokeRequest,
  RolesAsOfResponse,
  UpdateUserRequest,
  UserIdParams,
  UserListQuery,
  UserResponse,
  UserRoleParams,
} from '../dto/identity.dto.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';

@ApiBearerAuth()
@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(@Inject(IdentityCommands) private readonly identity: IdentityCommands) {}

  @Post()
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Create a user (admins)', description: 'Users also come to be on their first SSO login.' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiProblems(400, 409)
  create(@Body() body: CreateUserRequest, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<UserResponse> {
    return this.identity.send(CreateUser, { ...body }, call, caller);
  }

  @Get()
  @RequireRoles('admin')
  @ApiOperation({ summary: 'List users with their roles (admins)' })
  @ApiOkResponse({ type: UserResponse, isArray: true })
  @ApiProblems(400)
  list(@Query() query: UserListQuery, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<UserResponse[]> {
    return this.identity.send(ListUsers, query.includeInactive === undefined ? {} : { includeInactive: query.includeInactive }, call, caller);
  }

  @Get(':userId')
  @Authenticated()
  @ApiOperation({ summary: 'A user (yourself, or anyone for an admin)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 404)
  get(@Param() { userId }: UserIdParams, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<UserResponse> {
    return this.identity.send(GetUser, { userId }, call, caller);
  }

  @Put(':userId')
  @Authenticated()
  @ApiOperation({ summary: "Update a user's name or email (yourself, or anyone for an admin)" })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 404)
  update(
    @Param() { userId }: UserIdParams,
    @Body() body: UpdateUserRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<UserResponse> {
    return this.identity.send(UpdateUser, { userId, ...body }, call, caller);
  }

  @Delete(':userId')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Deactivate a user (admins)',
    description: 'Records UserDeactivated and ends their sessions: refreshes fail at once, access tokens within their lifetime (5 minutes).',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 404, 409)
  deactivate(
    @Param() { userId }: UserIdParams,
    @Query() query: DeactivateUserQuery,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<UserResponse> {
    return this.identity.send(DeactivateUser, { userId, ...(query.reason ? { reason: query.reason } : {}) }, call, caller);
  }

  @Get(':userId/roles')
  @Authenticated()
  @ApiOperation({
    summary: "A user's roles as of any time",
    description: 'A fold of the auth event log up to `asOf`: each role held then, since when, and the approval (request and admin) that granted it.',
  })
  @ApiOkResponse({ type: RolesAsOfResponse })
  @ApiProblems(400, 404)
  roles(
    @Param() { userId }: UserIdParams,
    @Query() { asOf }: AsOfQuery,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<RolesAsOfResponse> {
    return this.identity.send(UserRolesAsOf, { userId, ...(asOf ? { asOf } : {}) }, call, caller);
  }

  @Delete(':userId/roles/:role')
  @RequireRoles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a role (admins), with a reason' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 404, 409)
  revokeRole(
    @Param() { userId, role }: UserRoleParams,
    @Body() body: RevokeRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<UserResponse> {
    return this.identity.send(RevokeRole, { userId, role, reason: body.reason }, call, caller);
  }
}
