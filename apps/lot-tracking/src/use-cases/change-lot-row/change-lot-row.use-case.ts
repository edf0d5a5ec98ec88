import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import {
  ConflictError,
  ForbiddenError,
  type LotRowRetiredV1,
  type LotRowUpdatedV1,
  type LotRowView,
  NotFoundError,
  type RetireLotRowV1,
  type UpdateLotRowV1,
  ValidationError,
  isConnectionLost,
} from '@vista/contracts';
import { EventStore } from '@vista/event-store';
import { type Actor, mayUse, modelIssues } from '../../domain/lot-row-access.js';
import { type LotRowRecord, LotRowsRepository, lotRowView } from '../../repositories/lot-rows.repository.js';
import { ModelCatalogRepository } from '../../repositories/model-catalog.repository.js';

const UNIQUE_VIOLATION = '23505';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * UpdateLotRow and RetireLotRow: who added a row, an admin, or anyone with access to its model may
 * change it; each change is one event on the row's stream (its version is the stream's), written
 * with the row in one transaction. A retired row is never deleted: it leaves the batch.
 */
@Injectable()
export class ChangeLotRowUseCase {
  constructor(
    private readonly rows: LotRowsRepository,
    private readonly catalog: ModelCatalogRepository,
    private readonly events: EventStore,
  ) {}

  async update(command: CommandMessage<UpdateLotRowV1>): Promise<LotRowView> {
    const { rowId, expectedVersion, ...changes } = command.payload;
    const current = await this.activeRow(rowId, expectedVersion);
    const next = {
      lotId: current.lot_id,
      product: changes.product ?? current.product,
      processStep: changes.processStep ?? current.process_step,
      equipment: changes.equipment ?? current.equipment,
      waferCount: changes.waferCount ?? current.wafer_count,
      setupModelId: changes.setupModelId ?? current.setup_model_id,
      factors: changes.factors ?? current.factors,
      ...((changes.note ?? current.note) === null ? {} : { note: changes.note ?? current.note! }),
    };
    const modelIds = [...new Set([current.setup_model_id, next.setupModelId])];
    const models = await this.catalog.setupModels(modelIds);
    const actor = await this.actorOf(command, modelIds);
    for (const id of modelIds) {
      const model = models.get(id);
      if (!model) {
        if (id === next.setupModelId) throw new ValidationError(`set-up model ${id} does not exist`, modelIssues(next, undefined, ''));
        continue;
      }
      // A row's author may keep changing it on its model; moving it to a model needs access to that model.
      const allowed = mayUse(actor, model) || (id === current.setup_model_id && id === next.setupModelId && current.created_by === command.actor);
      if (!allowed) throw new ForbiddenError(`you have no access to the set-up model ${model.name} (${id})`);
    }
    const issues = modelIssues(next, models.get(next.setupModelId), '');
    if (issues.length > 0) throw new ValidationError(`the row does not fit its model: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    const version = current.version + 1;
    return this.write(
      command,
      current,
      { type: 'LotRowUpdated', data: { rowId, version, ...next } },
      {
        ...current,
        product: next.product,
        process_step: next.processStep,
        equipment: next.equipment,
        wafer_count: next.waferCount,
        setup_model_id: next.setupModelId,
        factors: next.factors,
        note: next.note ?? null,
        version,
      },
    );
  }

  async retire(command: CommandMessage<RetireLotRowV1>): Promise<LotRowView> {
    const { rowId, reason } = command.payload;
    const current = await this.activeRow(rowId);
    const models = await this.catalog.setupModels([current.setup_model_id]);
    const model = models.get(current.setup_model_id);
    const actor = await this.actorOf(command, [current.setup_model_id]);
    const allowed = current.created_by === command.actor || (model ? mayUse(actor, model) : actor.roles.includes('admin'));
    if (!allowed) throw new ForbiddenError(`you have no access to the set-up model of row ${rowId}`);
    const version = current.version + 1;
    return this.write(
      command,
      current,
      { type: 'LotRowRetired', data: { rowId, version, reason } },
      { ...current, status: 'retired', retired_reason: reason, version },
    );
  }

  private async activeRow(rowId: string, expectedVersion?: number): Promise<LotRowRecord> {
    const current = await this.rows.find(rowId);
    if (!current) throw new NotFoundError(`lot row ${rowId} does not exist`);
    if (current.status === 'retired') throw new ConflictError(`lot row ${rowId} is retired; add a new row instead`);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new ConflictError(`lot row ${rowId} is at version ${current.version}, not ${expectedVersion}: reload it and try again`);
    }
    return current;
  }

  private async actorOf(command: CommandMessage, modelIds: string[]): Promise<Actor> {
    return {
      userId: command.actor,
      roles: command.roles ?? [],
      granted: UUID.test(command.actor) ? await this.catalog.grantedTo(command.actor, modelIds) : new Set(),
    };
  }

  private async write(
    command: CommandMessage,
    current: LotRowRecord,
    event: { type: 'LotRowUpdated'; data: LotRowUpdatedV1 } | { type: 'LotRowRetired'; data: LotRowRetiredV1 },
    next: LotRowRecord,
  ): Promise<LotRowView> {
    try {
      const saved = await this.events.inTransaction(async (trx) => {
        // The stream's version is the row's: a change made meanwhile conflicts here instead of being overwritten.
        await this.events.append(
          { streamId: `lot-row-${current.row_id}`, expectedVersion: current.version, events: [event] },
          { actor: command.actor, correlationId: command.correlationId },
          trx,
        );
        const { seq: _seq, ...row } = next;
        return this.rows.replace({ ...row, updated_by: command.actor, updated_at: new Date() }, trx);
      });
      return lotRowView(saved);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && !isConnectionLost(error)) {
        throw new ConflictError('an active row with the same lot, process step and set-up model exists', { cause: error });
      }
      throw error;
    }
  }
}
