import { Injectable } from '@nestjs/common';
import {
  type GetLotResultsResult,
  type GetLotResultsV1,
  type ListLotBatchesResult,
  type ListLotBatchesV1,
  type ListLotRowsResult,
  type ListLotRowsV1,
  type LotBatchView,
  type LotRowView,
  NotFoundError,
} from '@vista/contracts';
import { BatchRepository } from '../../repositories/batch.repository.js';
import { LotRowsRepository, lotRowView } from '../../repositories/lot-rows.repository.js';

/** The lot rows, the batch's attempts and a date's published results, by keyset pages. */
@Injectable()
export class QueryLotsUseCase {
  constructor(
    private readonly rows: LotRowsRepository,
    private readonly batches: BatchRepository,
  ) {}

  async listRows(query: ListLotRowsV1): Promise<ListLotRowsResult> {
    const { rows, more } = await this.rows.list(query, query.limit ?? 100);
    return { items: rows.map(lotRowView), nextCursor: more ? rows[rows.length - 1]!.seq : null };
  }

  async row(rowId: string): Promise<LotRowView> {
    const row = await this.rows.find(rowId);
    if (!row) throw new NotFoundError(`lot row ${rowId} does not exist`);
    return lotRowView(row);
  }

  listBatches(query: ListLotBatchesV1): Promise<ListLotBatchesResult> {
    return this.batches.list(query, query.limit ?? 50);
  }

  async batch(attemptId: string): Promise<LotBatchView> {
    const attempt = await this.batches.view(attemptId);
    if (!attempt) throw new NotFoundError(`batch attempt ${attemptId} does not exist`);
    return attempt;
  }

  results(query: GetLotResultsV1): Promise<GetLotResultsResult> {
    return this.batches.results(query, query.limit ?? 500);
  }
}
