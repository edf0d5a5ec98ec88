import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import {
  ArchiveDeck,
  ArchiveKit,
  CreateKit,
  type CreateKitV1,
  CreateProject,
  type CreateProjectResult,
  type CreateProjectV1,
  type DeckProfileResult,
  ExportDeck,
  type KitDefinitionResult,
  UpdateDeck,
  type UpdateDeckV1,
  UpdateKit,
  type UpdateKitV1,
} from '@vista/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { keyedCommand } from '../http/idempotency-key.js';
import { UploadStore } from '../uploads/upload.store.js';

export const CREATE_KIT_ROUTE = 'POST /api/v1/kits';
export const CREATE_PROJECT_ROUTE = 'POST /api/v1/projects';

export interface DeckDownload {
  readonly data: Uint8Array;
  readonly fileName: string;
  readonly contentType: string;
}

/** Creates, changes and archives datasets, kits and projects through the deck service, which owns them. */
@Injectable()
export class ResourceCommands {
  constructor(
    @Inject(CommandClient) private readonly client: CommandClient,
    @Inject(UploadStore) private readonly uploads: UploadStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  updateDeck(change: UpdateDeckV1, call: CommandCall): Promise<DeckProfileResult> {
    return this.client.execute(UpdateDeck, change, this.timed(call));
  }

  archiveDeck(deckId: string, call: CommandCall): Promise<DeckProfileResult> {
    return this.client.execute(ArchiveDeck, { deckId }, this.timed(call));
  }

  /** The deck service writes the table to the uploads bucket; it is read from there, then deleted. */
  async downloadDeck(deckId: string, format: 'csv' | 'json', call: CommandCall): Promise<DeckDownload> {
    const exported = await this.client.execute(ExportDeck, { deckId, format }, this.timed(call));
    try {
      return { data: await this.uploads.get(exported.objectKey), fileName: exported.fileName, contentType: exported.contentType };
    } finally {
      await this.uploads.delete(exported.objectKey);
    }
  }

  /** With an idempotency key, the deck service creates at most one kit for it and answers repeats with that kit. */
  createKit(definition: Omit<CreateKitV1, 'idempotency'>, call: CommandCall, idempotencyKey?: string): Promise<KitDefinitionResult> {
    const idempotency = keyedCommand(idempotencyKey, CREATE_KIT_ROUTE, { body: definition });
    return this.client.execute(CreateKit, { ...definition, ...(idempotency ? { idempotency } : {}) }, this.timed(call));
  }

  updateKit(change: UpdateKitV1, call: CommandCall): Promise<KitDefinitionResult> {
    return this.client.execute(UpdateKit, change, this.timed(call));
  }

  archiveKit(kitId: number, call: CommandCall): Promise<KitDefinitionResult> {
    return this.client.execute(ArchiveKit, { kitId }, this.timed(call));
  }

  createProject(project: Omit<CreateProjectV1, 'idempotency'>, call: CommandCall, idempotencyKey?: string): Promise<CreateProjectResult> {
    const idempotency = keyedCommand(idempotencyKey, CREATE_PROJECT_ROUTE, { body: project });
    return this.client.execute(CreateProject, { ...project, ...(idempotency ? { idempotency } : {}) }, this.timed(call));
  }

  private timed(call: CommandCall): CommandCall {
    return { timeoutMs: this.config.COMMAND_TIMEOUT_MS, ...call };
  }
}
