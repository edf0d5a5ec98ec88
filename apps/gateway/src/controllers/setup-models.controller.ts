import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import {
  type AccessTokenClaims,
  CheckModelAccess,
  DecideModelAccess,
  GetModelAccessAsOf,
  GetSetupModel,
  ListModelAccessRequests,
  ListSetupModels,
  PredictWithModel,
  RequestModelAccess,
  RevokeModelAccess,
  SetUpModel,
} from '@vista/contracts';
import { Caller } from '@vista/identity';
import { IdentityCommands } from '../commands/identity.commands.js';
import {
  AsOfQuery,
  DecisionRequest,
  ModelAccessAsOfResponse,
  ModelAccessRequestRequest,
  ModelAccessRequestResponse,
  RequestIdParams,
  RequestStatusQuery,
  RevokeRequest,
  SetUpModelRequest,
  SetupModelIdParams,
  SetupModelListQuery,
  SetupModelResponse,
  SetupModelUserParams,
} from '../dto/identity.dto.js';
import { Prediction } from '../dto/model.response.js';
import { ModelIdParams } from '../dto/path.params.js';
import { PredictRequest } from '../dto/predict.request.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';

const PREDICT_TIMEOUT_MS = 30_000;

@ApiBearerAuth()
@ApiTags('setup-models')
@Controller('api/v1/setup-models')
export class SetupModelsController {
  constructor(@Inject(IdentityCommands) private readonly identity: IdentityCommands) {}

  @Post()
  @RequireRoles('logic.model-setup', 'admin')
  @ApiOperation({
    summary: 'Set up a model: copy a registered model, optionally renamed, described and with attributes',
    description: 'A model not in the registry is a 404; a set-up model you have no access to is a 403. The copy keeps its lineage back to the registry model.',
  })
  @ApiCreatedResponse({ type: SetupModelResponse })
  @ApiProblems(400, 404)
  setUp(@Body() body: SetUpModelRequest, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<SetupModelResponse> {
    return this.identity.send(SetUpModel, { ...body }, call, caller);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Set-up models, newest first; `canUse` tells which you may predict with' })
  @ApiOkResponse({ type: SetupModelResponse, isArray: true })
  @ApiProblems(400)
  list(@Query() query: SetupModelListQuery, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<SetupModelResponse[]> {
    return this.identity.send(ListSetupModels, query.usableOnly === undefined ? {} : { usableOnly: query.usableOnly }, call, caller);
  }

  @Get(':setupModelId')
  @Authenticated()
  @ApiOperation({ summary: 'A set-up model with its lineage' })
  @ApiOkResponse({ type: SetupModelResponse })
  @ApiProblems(400, 404)
  get(@Param() { setupModelId }: SetupModelIdParams, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<SetupModelResponse> {
    return this.identity.send(GetSetupModel, { setupModelId }, call, caller);
  }

  @Post(':setupModelId/access-requests')
  @Authenticated()
  @ApiOperation({
    summary: 'Request access to a set-up model, with a reason',
    description: 'Pending until its owner or an admin decides. If you can already use the model, nothing is recorded and the answer says `already-granted`.',
  })
  @ApiCreatedResponse({ type: ModelAccessRequestResponse, description: 'The request, pending.' })
  @ApiOkResponse({ description: 'You can already use this model (`status: already-granted`); nothing was recorded.' })
  @ApiProblems(400, 404, 409)
  async requestAccess(
    @Param() { setupModelId }: SetupModelIdParams,
    @Body() body: ModelAccessRequestRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModelAccessRequestResponse | { status: 'already-granted'; message: string }> {
    const answer = await this.identity.send(RequestModelAccess, { setupModelId, reason: body.reason }, call, caller);
    // Nothing was recorded: the caller can already use the model.
    if (answer.status === 'already-granted') res.status(HttpStatus.OK);
    return answer;
  }

  @Delete(':setupModelId/access/:userId')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Revoke a user's access to a set-up model (its owner or an admin), with a reason" })
  @ApiProblems(400, 404, 409)
  async revoke(
    @Param() { setupModelId, userId }: SetupModelUserParams,
    @Body() body: RevokeRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<{ revoked: true }> {
    return this.identity.send(RevokeModelAccess, { setupModelId, userId, reason: body.reason }, call, caller);
  }

  @Post(':setupModelId/predict')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Predict with a set-up model',
    description: 'Needs access to it (owner, admin or an approved request); answered by the ml service from the registry model it copies.',
  })
  @ApiOkResponse({ type: Prediction })
  @ApiProblems(400, 404, 413, 503)
  async predict(
    @Param() { setupModelId }: SetupModelIdParams,
    @Body() body: PredictRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<Prediction> {
    const { registryModelId } = await this.identity.send(CheckModelAccess, { setupModelId }, call, caller);
    const result = await this.identity.send(
      PredictWithModel,
      { modelId: registryModelId, rows: body.rows },
      { ...call, timeoutMs: PREDICT_TIMEOUT_MS },
      caller,
    );
    return { modelId: result.modelId, modelVersion: result.modelVersion, response: result.response, factors: result.factors, predictions: result.predictions };
  }
}

@ApiBearerAuth()
@ApiTags('setup-models')
@Controller('api/v1/model-access-requests')
export class ModelAccessRequestsController {
  constructor(@Inject(IdentityCommands) private readonly identity: IdentityCommands) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Model access requests: yours, those for models you own, or all for an admin; newest first' })
  @ApiOkResponse({ type: ModelAccessRequestResponse, isArray: true })
  @ApiProblems(400)
  list(@Query() query: RequestStatusQuery, @Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<ModelAccessRequestResponse[]> {
    return this.identity.send(ListModelAccessRequests, query.status ? { status: query.status } : {}, call, caller);
  }

  @Post(':requestId/decision')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Approve or reject a model access request, with a reason (the model's owner or an admin)" })
  @ApiOkResponse({ type: ModelAccessRequestResponse })
  @ApiProblems(400, 404, 409)
  decide(
    @Param() { requestId }: RequestIdParams,
    @Body() body: DecisionRequest,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<ModelAccessRequestResponse> {
    return this.identity.send(DecideModelAccess, { requestId, decision: body.decision, reason: body.reason }, call, caller);
  }
}

@ApiBearerAuth()
@ApiTags('setup-models')
@Controller('api/v1/models')
export class ModelAccessController {
  constructor(@Inject(IdentityCommands) private readonly identity: IdentityCommands) {}

  @Get(':modelId/access')
  @Authenticated()
  @ApiOperation({
    summary: 'Who could use a set-up model as of any time, and which approval granted it',
    description:
      "A fold of the auth event log up to `asOf` (default now): the owner and each granted user, with the request and approver. For the model's owner and admins.",
  })
  @ApiOkResponse({ type: ModelAccessAsOfResponse })
  @ApiProblems(400, 404)
  access(
    @Param() { modelId }: ModelIdParams,
    @Query() { asOf }: AsOfQuery,
    @Caller() caller: AccessTokenClaims,
    @CommandCallOf() call: CommandCall,
  ): Promise<ModelAccessAsOfResponse> {
    return this.identity.send(GetModelAccessAsOf, { setupModelId: modelId, ...(asOf ? { asOf } : {}) }, call, caller);
  }
}
