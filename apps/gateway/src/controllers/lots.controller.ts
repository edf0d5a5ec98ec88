import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import {
  AddLotRows,
  GetLotBatch,
  GetLotResults,
  type GetLotResultsResult,
  GetLotRow,
  ImportLotRowsCsv,
  ListLotBatches,
  ListLotRows,
  PIPELINE_ROLES,
  RetireLotRow,
  RunLotBatch,
  UpdateLotRow,
} from '@vista/contracts';
import { BULK_TIMEOUT_MS, LotTrackingClient } from '../commands/lot-tracking.client.js';
import {
  AddLotRowsResponse,
  AttemptIdParams,
  BatchListQuery,
  LotBatchPage,
  LotBatchResponse,
  LotResultsPage,
  LotResultsQuery,
  LotRowIdParams,
  LotRowListQuery,
  LotRowPage,
  LotRowRequest,
  LotRowResponse,
  LotRowsCsvRequest,
  RetireLotRowRequest,
  RunBatchRequest,
  UpdateLotRowRequest,
} from '../dto/lots.dto.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';

const CSV_COLUMNS = [
  'businessDate',
  'attemptId',
  'rowId',
  'rowVersion',
  'lotId',
  'product',
  'processStep',
  'equipment',
  'waferCount',
  'setupModelId',
  'registryModelId',
  'modelVersion',
  'response',
  'prediction',
  'factors',
] as const;

const csvCell = (value: unknown): string => {
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Lot rows (seed 000 REQ-005): added by users with access to the set-up model they are assigned to, listed, changed and retired. */
@ApiTags('lots')
@ApiBearerAuth()
@Controller('api/v1/lots')
export class LotsController {
  constructor(@Inject(LotTrackingClient) private readonly lots: LotTrackingClient) {}

  @Post()
  @RequireRoles(...PIPELINE_ROLES.operate)
  @ApiOperation({
    summary: 'Add a lot row assigned to a set-up model',
    description:
      'Every field is checked (a 400 names it); you need access to the set-up model (owner, admin or an approved request, else 403); the factors must be exactly the ones the model needs; the same lot, process step and model can be active once (409).',
  })
  @ApiCreatedResponse({ type: AddLotRowsResponse, description: 'The row was added (`added: 1`).' })
  @ApiProblems(400, 403, 409, 503)
  add(@Body() body: LotRowRequest, @CommandCallOf() call: CommandCall): Promise<AddLotRowsResponse> {
    return this.lots.send(AddLotRows, { rows: [body] }, call);
  }

  @Post('csv')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @ApiOperation({
    summary: 'Add lot rows from CSV, all or none',
    description:
      'One row per line with the same checks as a single add. If any line is bad (format, model access, factors, a duplicate) nothing is added and every bad line is reported by its number.',
  })
  @ApiCreatedResponse({ type: AddLotRowsResponse })
  @ApiProblems(400, 403, 409, 413, 503)
  addCsv(@Body() body: LotRowsCsvRequest, @CommandCallOf() call: CommandCall): Promise<AddLotRowsResponse> {
    return this.lots.send(ImportLotRowsCsv, { csv: body.csv }, call, BULK_TIMEOUT_MS);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Lot rows, filtered, in the order they were added, by keyset pages', description: 'Active rows unless `status` says otherwise.' })
  @ApiOkResponse({ type: LotRowPage })
  @ApiProblems(400, 503)
  list(@Query() query: LotRowListQuery, @CommandCallOf() call: CommandCall): Promise<LotRowPage> {
    const { model, ...rest } = query;
    return this.lots.send(ListLotRows, { ...rest, ...(model ? { setupModelId: model } : {}) }, call);
  }

  // Before `:rowId`, so `results` is not taken for a row id.
  @Get('results')
  @Authenticated()
  @ApiOperation({
    summary: "A business date's batch results (predictions with their inputs and model versions), by keyset pages or as CSV",
    description:
      "All of the date's published attempt or nothing: a rerun in progress never shows half its results. `format=csv` downloads every result of the date (and model).",
  })
  @ApiOkResponse({ type: LotResultsPage })
  @ApiProduces('application/json', 'text/csv')
  @ApiProblems(400, 503)
  async results(
    @Query() query: LotResultsQuery,
    @CommandCallOf() call: CommandCall,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LotResultsPage | string> {
    const request = { businessDate: query.date, ...(query.model ? { setupModelId: query.model } : {}) };
    if (query.format !== 'csv') return this.lots.send(GetLotResults, { ...request, cursor: query.cursor, limit: query.limit }, call);
    const lines = [CSV_COLUMNS.join(',')];
    let page: GetLotResultsResult | undefined;
    let cursor: string | undefined;
    do {
      page = await this.lots.send(GetLotResults, { ...request, limit: 10_000, ...(cursor ? { cursor } : {}) }, call);
      for (const item of page.items) {
        const row = { ...item, businessDate: page.businessDate, attemptId: page.attemptId };
        lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="lot-results-${query.date}${query.model ? `-${query.model}` : ''}.csv"`);
    return `${lines.join('\n')}\n`;
  }

  @Get(':rowId')
  @Authenticated()
  @ApiOperation({ summary: 'A lot row, active or retired' })
  @ApiOkResponse({ type: LotRowResponse })
  @ApiProblems(400, 404, 503)
  get(@Param() { rowId }: LotRowIdParams, @CommandCallOf() call: CommandCall): Promise<LotRowResponse> {
    return this.lots.send(GetLotRow, { rowId }, call);
  }

  @Patch(':rowId')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @ApiOperation({
    summary: "Change a lot row's fields",
    description: 'Only the fields given change; the row keeps its id and lot id. `expectedVersion` guards against overwriting another change (409).',
  })
  @ApiOkResponse({ type: LotRowResponse })
  @ApiProblems(400, 403, 404, 409, 503)
  update(@Param() { rowId }: LotRowIdParams, @Body() body: UpdateLotRowRequest, @CommandCallOf() call: CommandCall): Promise<LotRowResponse> {
    return this.lots.send(UpdateLotRow, { ...body, rowId }, call);
  }

  @Post(':rowId/retire')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Retire a lot row', description: 'It leaves the daily batch from the next run; it is never deleted and its history stays.' })
  @ApiOkResponse({ type: LotRowResponse })
  @ApiProblems(400, 403, 404, 409, 503)
  retire(@Param() { rowId }: LotRowIdParams, @Body() body: RetireLotRowRequest, @CommandCallOf() call: CommandCall): Promise<LotRowResponse> {
    return this.lots.send(RetireLotRow, { rowId, reason: body.reason }, call);
  }
}

/** The daily batch's attempts (seed 000 REQ-006): every run with its counts, outcome and progress; admins start one. */
@ApiTags('lots')
@ApiBearerAuth()
@Controller('api/v1/batches')
export class BatchesController {
  constructor(@Inject(LotTrackingClient) private readonly lots: LotTrackingClient) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'The batch history, newest first',
    description:
      'Every attempt (scheduled, from the CronJob or the API) with its start, end, counts, digest, model versions and outcome; a running one shows its progress.',
  })
  @ApiOkResponse({ type: LotBatchPage })
  @ApiProblems(400, 503)
  list(@Query() query: BatchListQuery, @CommandCallOf() call: CommandCall): Promise<LotBatchPage> {
    const { date, ...rest } = query;
    return this.lots.send(ListLotBatches, { ...rest, ...(date ? { businessDate: date } : {}) }, call);
  }

  @Post()
  @RequireRoles('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Run the daily batch for a business date now',
    description:
      'Answers the attempt at once: `running` (follow it at `GET /api/v1/batches/{attemptId}`), or `unchanged` when the inputs are those of the published results. 409 while the date runs already.',
  })
  @ApiAcceptedResponse({ type: LotBatchResponse })
  @ApiProblems(400, 409, 503)
  run(@Body() body: RunBatchRequest, @CommandCallOf() call: CommandCall): Promise<LotBatchResponse> {
    return this.lots.send(RunLotBatch, body.date ? { businessDate: body.date } : {}, call);
  }

  @Get(':attemptId')
  @Authenticated()
  @ApiOperation({ summary: 'One batch attempt, with its progress while it runs' })
  @ApiOkResponse({ type: LotBatchResponse })
  @ApiProblems(400, 404, 503)
  get(@Param() { attemptId }: AttemptIdParams, @CommandCallOf() call: CommandCall): Promise<LotBatchResponse> {
    return this.lots.send(GetLotBatch, { attemptId }, call);
  }
}
