import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, DecideRoleRequest, ListRoleRequests, RequestRole } from '@vista/contracts';
import { Caller } from '@vista/identity';
import { IdentityCommands } from '../commands/identity.commands.js';
import { DecisionRequest, RequestIdParams, RequestStatusQuery, RoleRequestRequest, RoleRequestResponse } from '../dto/identity.dto.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';

@ApiBearerAuth()
@ApiTags('roles')
@Controller('api/v1/role-requests')
export class RoleRequestsController {
  constructor(@Inject(IdentityCommands) private readonly identity: IdentityCommands) {}

  @Post()
  @Authenticated()
  @ApiOperation({
    summary: 'Request a role, with a reason',
    description: 'Roles: admin, logic.general, logic.model-setup, dram.general. A role already held, or already asked for, is a 409.',
  })
  @ApiCreatedResponse({ type: RoleRequestResponse, description: 'The request, pending.' })
  @ApiProblems(400, 409)
  request(@Body() body: RoleRequestRequest, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<RoleRequestResponse> {
    return this.identity.send(RequestRole, { role: body.role, reason: body.reason }, call, caller);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Role requests: your own, or everyone’s for an admin; newest first' })
  @ApiOkResponse({ type: RoleRequestResponse, isArray: true })
  @ApiProblems(400)
  list(@Query() query: RequestStatusQuery, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<RoleRequestResponse[]> {
    return this.identity.send(ListRoleRequests, query.status ? { status: query.status } : {}, call, caller);
  }

  @Post(':requestId/decision')
  @RequireRoles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve or reject a pending role request, with a reason (admins)', description: 'An approval grants the role.' })
  @ApiOkResponse({ type: RoleRequestResponse })
  @ApiProblems(400, 404, 409)
  decide(
    @Param() { requestId }: RequestIdParams,
    @Body() body: DecisionRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<RoleRequestResponse> {
    return this.identity.send(DecideRoleRequest, { requestId, decision: body.decision, reason: body.reason }, call, caller);
  }
}
