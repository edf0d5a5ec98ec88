import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import {
  AddLotRows,
  type AddLotRowsResult,
  type AddLotRowsV1,
  DescribeLotTracking,
  type DescribeLotTrackingResult,
  type DescribeLotTrackingV1,
  GetLotBatch,
  type GetLotBatchV1,
  GetLotResults,
  type GetLotResultsResult,
  type GetLotResultsV1,
  GetLotRow,
  type GetLotRowV1,
  ImportLotRowsCsv,
  type ImportLotRowsCsvV1,
  ListLotBatches,
  type ListLotBatchesResult,
  type ListLotBatchesV1,
  ListLotRows,
  type ListLotRowsResult,
  type ListLotRowsV1,
  type LotBatchView,
  type LotRowView,
  RetireLotRow,
  type RetireLotRowV1,
  RunLotBatch,
  type RunLotBatchV1,
  UpdateLotRow,
  type UpdateLotRowV1,
  ValidationError,
} from '@vista/contracts';
import { utcDate } from '../domain/batch-inputs.js';
import { parseLotRowsCsv } from '../domain/lot-rows-csv.js';
import { AddLotRowsUseCase } from '../use-cases/add-lot-rows/add-lot-rows.use-case.js';
import { ChangeLotRowUseCase } from '../use-cases/change-lot-row/change-lot-row.use-case.js';
import { DescribeLotTrackingUseCase } from '../use-cases/describe-lot-tracking/describe-lot-tracking.use-case.js';
import { QueryLotsUseCase } from '../use-cases/query-lots/query-lots.use-case.js';
import { RunLotBatchUseCase } from '../use-cases/run-lot-batch/run-lot-batch.use-case.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lot-tracking service's commands (NATS request/reply, queue group `lot-tracking`). */
@Controller()
export class LotTrackingCommands {
  constructor(
    private readonly describeLotTracking: DescribeLotTrackingUseCase,
    private readonly addRows: AddLotRowsUseCase,
    private readonly changeRow: ChangeLotRowUseCase,
    private readonly query: QueryLotsUseCase,
    private readonly batch: RunLotBatchUseCase,
  ) {}

  @OnCommand(DescribeLotTracking)
  onDescribeLotTracking(@CommandInput(DescribeLotTracking) command: CommandMessage<DescribeLotTrackingV1>): Promise<DescribeLotTrackingResult> {
    return this.describeLotTracking.execute(command.payload);
  }

  @OnCommand(AddLotRows)
  onAddLotRows(@CommandInput(AddLotRows) command: CommandMessage<AddLotRowsV1>): Promise<AddLotRowsResult> {
    return this.addRows.execute(
      command,
      command.payload.rows.map((row, i) => ({ at: command.payload.rows.length === 1 ? '' : `rows[${i}].`, row })),
    );
  }

  @OnCommand(ImportLotRowsCsv)
  onImportLotRowsCsv(@CommandInput(ImportLotRowsCsv) command: CommandMessage<ImportLotRowsCsvV1>): Promise<AddLotRowsResult> {
    const rows = parseLotRowsCsv(command.payload.csv);
    return this.addRows.execute(
      command,
      rows.map(({ line, row }) => ({ at: `line ${line}: `, row })),
    );
  }

  @OnCommand(UpdateLotRow)
  onUpdateLotRow(@CommandInput(UpdateLotRow) command: CommandMessage<UpdateLotRowV1>): Promise<LotRowView> {
    return this.changeRow.update(command);
  }

  @OnCommand(RetireLotRow)
  onRetireLotRow(@CommandInput(RetireLotRow) command: CommandMessage<RetireLotRowV1>): Promise<LotRowView> {
    return this.changeRow.retire(command);
  }

  @OnCommand(ListLotRows)
  onListLotRows(@CommandInput(ListLotRows) command: CommandMessage<ListLotRowsV1>): Promise<ListLotRowsResult> {
    const { cursor } = command.payload;
    if (cursor !== undefined && !/^\d{1,18}$/.test(cursor))
      throw new ValidationError('cursor must be a nextCursor the API gave', [{ path: 'cursor', message: 'not a cursor' }]);
    return this.query.listRows(command.payload);
  }

  @OnCommand(GetLotRow)
  onGetLotRow(@CommandInput(GetLotRow) command: CommandMessage<GetLotRowV1>): Promise<LotRowView> {
    return this.query.row(command.payload.rowId);
  }

  @OnCommand(RunLotBatch)
  async onRunLotBatch(@CommandInput(RunLotBatch) command: CommandMessage<RunLotBatchV1>): Promise<LotBatchView> {
    // The API starts the batch and answers the attempt at once; its progress and end are read from the history.
    const { attempt } = await this.batch.start({
      businessDate: command.payload.businessDate ?? utcDate(new Date()),
      trigger: 'api',
      actor: command.actor,
      correlationId: command.correlationId || randomUUID(),
    });
    return attempt;
  }

  @OnCommand(ListLotBatches)
  onListLotBatches(@CommandInput(ListLotBatches) command: CommandMessage<ListLotBatchesV1>): Promise<ListLotBatchesResult> {
    return this.query.listBatches(command.payload);
  }

  @OnCommand(GetLotBatch)
  onGetLotBatch(@CommandInput(GetLotBatch) command: CommandMessage<GetLotBatchV1>): Promise<LotBatchView> {
    return this.query.batch(command.payload.attemptId);
  }

  @OnCommand(GetLotResults)
  onGetLotResults(@CommandInput(GetLotResults) command: CommandMessage<GetLotResultsV1>): Promise<GetLotResultsResult> {
    const { cursor } = command.payload;
    if (cursor !== undefined && !UUID.test(cursor))
      throw new ValidationError('cursor must be a nextCursor the API gave', [{ path: 'cursor', message: 'not a cursor' }]);
    return this.query.results(command.payload);
  }
}
