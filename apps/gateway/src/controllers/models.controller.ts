import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { NotFoundError, PIPELINE_ROLES } from '@vista/contracts';
import type { Response } from 'express';
import { ModelCommands } from '../commands/model.commands.js';
import { Model, ModelPage, Prediction } from '../dto/model.response.js';
import { ModelPageQuery } from '../dto/paging.query.js';
import { ModelIdParams } from '../dto/path.params.js';
import { PredictRequest } from '../dto/predict.request.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ifNoneMatchHits, sendNotModified, setVersion, weakEtag } from '../http/etag.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';
import { ModelQueries } from '../queries/model.queries.js';

@ApiBearerAuth()
@ApiTags('models')
@Controller('api/v1/models')
export class ModelsController {
  constructor(
    @Inject(ModelQueries) private readonly models: ModelQueries,
    @Inject(ModelCommands) private readonly commands: ModelCommands,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'List registered models, the most recently registered first' })
  @ApiOkResponse({ type: ModelPage })
  @ApiProblems(400)
  async list(@Query() query: ModelPageQuery): Promise<ModelPage> {
    const { items, total, nextCursor, sort, pageSize } = await this.models.list(
      { kitId: query.kitId, runId: query.runId, algorithm: query.algorithm },
      { page: query.page, pageSize: query.pageSize, cursor: query.cursor, sort: query.sort },
    );
    return { items, page: query.page, pageSize, total, nextCursor, sort };
  }

  @Get(':modelId')
  @Authenticated()
  @ApiOperation({ summary: 'A registered model with its metrics, hyperparameters, settings and lineage' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiOkResponse({ type: Model, headers: { ETag: { description: 'W/"model-<modelId>-<position>"', schema: { type: 'string' } } } })
  @ApiNotModifiedResponse({ description: 'Unchanged since the ETag given in If-None-Match.' })
  @ApiProblems(400, 404)
  async get(@Param() { modelId }: ModelIdParams, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const model = await this.models.get(modelId);
    if (!model) throw new NotFoundError(`model ${modelId} does not exist`);
    const etag = weakEtag('model', modelId, model.position);
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      sendNotModified(res, etag, model.position);
      return;
    }
    setVersion(res, etag, model.position);
    res.status(HttpStatus.OK).json(model);
  }

  @Post(':modelId/predict')
  @RequireRoles(...PIPELINE_ROLES.predict)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Predict a model's response for factor settings",
    description: 'Answered by the ml service from the stored artifact. Rows name every factor of the model, or list them in its factor order.',
  })
  @ApiOkResponse({ type: Prediction })
  @ApiProblems(400, 404, 413, 503)
  async predict(@Param() { modelId }: ModelIdParams, @Body() body: PredictRequest, @CommandCallOf() call: CommandCall): Promise<Prediction> {
    const result = await this.commands.predict(modelId, body, call);
    return { modelId: result.modelId, modelVersion: result.modelVersion, response: result.response, factors: result.factors, predictions: result.predictions };
  }
}
