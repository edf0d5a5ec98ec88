import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import {
  type AddLotRowsResult,
  ConflictError,
  type ErrorIssue,
  ForbiddenError,
  type LotRowFieldsV1,
  ValidationError,
  isConnectionLost,
} from '@vista/contracts';
import { EventStore } from '@vista/event-store';
import { type Actor, mayUse, modelIssues, rowKey } from '../../domain/lot-row-access.js';
import { LotRowsRepository, type NewLotRow, lotRowView } from '../../repositories/lot-rows.repository.js';
import { ModelCatalogRepository } from '../../repositories/model-catalog.repository.js';

const UNIQUE_VIOLATION = '23505';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A row to add and where the caller wrote it (`rows[3].` for JSON, `line 5: ` for CSV), to name it in errors. */
export interface LabelledRow {
  readonly at: string;
  readonly row: LotRowFieldsV1;
}

/**
 * AddLotRows: checks every row against its set-up model (exists, the actor may use it, the factors
 * are the model's) and against the active rows (no duplicate), then adds them all with one
 * `LotRowAdded` each in one transaction — or refuses them all, naming each bad row.
 */
@Injectable()
export class AddLotRowsUseCase {
  constructor(
    private readonly rows: LotRowsRepository,
    private readonly catalog: ModelCatalogRepository,
    private readonly events: EventStore,
  ) {}

  async execute(command: Pick<CommandMessage, 'actor' | 'roles' | 'correlationId'>, labelled: readonly LabelledRow[]): Promise<AddLotRowsResult> {
    const modelIds = [...new Set(labelled.map((l) => l.row.setupModelId))];
    const models = await this.catalog.setupModels(modelIds);
    const actor: Actor = {
      userId: command.actor,
      roles: command.roles ?? [],
      granted: UUID.test(command.actor) ? await this.catalog.grantedTo(command.actor, modelIds) : new Set(),
    };

    const missing = labelled.flatMap((l) => (models.has(l.row.setupModelId) ? [] : modelIssues(l.row, undefined, l.at)));
    if (missing.length > 0) throw new ValidationError(`rows refer to set-up models that do not exist: ${describe(missing)}`, missing);

    const refused = [...models.values()].filter((m) => !mayUse(actor, m));
    if (refused.length > 0) {
      throw new ForbiddenError(
        `you have no access to the set-up model${refused.length > 1 ? 's' : ''} ${refused.map((m) => `${m.name} (${m.setupModelId})`).join(', ')}; request access first`,
      );
    }

    const issues: ErrorIssue[] = labelled.flatMap((l) => modelIssues(l.row, models.get(l.row.setupModelId), l.at));
    if (issues.length > 0) throw new ValidationError(`rows do not fit their models: ${describe(issues)}`, issues);

    const firstAt = new Map<string, string>();
    const repeated: string[] = [];
    for (const l of labelled) {
      const key = rowKey(l.row);
      const first = firstAt.get(key);
      if (first !== undefined) repeated.push(`${l.at.replace(/[.:]\s*$/, '')} repeats ${first.replace(/[.:]\s*$/, '')}`);
      else firstAt.set(key, l.at);
    }
    if (repeated.length > 0) throw new ConflictError(`duplicate rows; nothing was added: ${repeated.join('; ')}`);

    const now = new Date();
    const records: NewLotRow[] = labelled.map(({ row }) => ({
      row_id: randomUUID(),
      lot_id: row.lotId,
      product: row.product,
      process_step: row.processStep,
      equipment: row.equipment,
      wafer_count: row.waferCount,
      setup_model_id: row.setupModelId,
      factors: row.factors,
      note: row.note ?? null,
      status: 'active',
      version: 1,
      created_by: command.actor,
      created_at: now,
      updated_by: command.actor,
      updated_at: now,
      retired_reason: null,
    }));
    const metadata = { actor: command.actor, correlationId: command.correlationId };
    try {
      const inserted = await this.events.inTransaction(async (trx) => {
        const existing = await this.rows.activeDuplicates(
          labelled.map((l) => l.row),
          trx,
        );
        if (existing.length > 0)
          throw duplicateError(
            existing.map((e) => ({ lotId: e.lot_id, processStep: e.process_step, setupModelId: e.setup_model_id, rowId: e.row_id })),
            labelled,
          );
        const saved = await this.rows.insert(records, trx);
        for (const r of records) {
          const row = labelled[records.indexOf(r)]!.row;
          await this.events.append(
            { streamId: `lot-row-${r.row_id}`, expectedVersion: 0, events: [{ type: 'LotRowAdded', data: { rowId: r.row_id, ...withoutUndefined(row) } }] },
            metadata,
            trx,
          );
        }
        return saved;
      });
      return { added: inserted.length, rows: inserted.map(lotRowView) };
    } catch (error) {
      // Two adds of the same row at once: the unique index refuses the second.
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && !isConnectionLost(error)) {
        throw new ConflictError('a row with the same lot, process step and set-up model was added meanwhile; nothing was added', { cause: error });
      }
      throw error;
    }
  }
}

const describe = (issues: readonly ErrorIssue[]) => issues.map((i) => `${i.path}: ${i.message}`).join('; ');

const withoutUndefined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function duplicateError(
  existing: { lotId: string; processStep: string; setupModelId: string; rowId: string }[],
  labelled: readonly LabelledRow[],
): ConflictError {
  const byKey = new Map(existing.map((e) => [rowKey(e), e.rowId]));
  const clashes = labelled
    .filter((l) => byKey.has(rowKey(l.row)))
    .map(
      (l) => `${l.at.replace(/[.:]\s*$/, '') || 'the row'} (lot ${l.row.lotId}, step ${l.row.processStep}) already exists as row ${byKey.get(rowKey(l.row))}`,
    );
  return new ConflictError(`duplicate rows; nothing was added: ${clashes.join('; ')}`);
}
