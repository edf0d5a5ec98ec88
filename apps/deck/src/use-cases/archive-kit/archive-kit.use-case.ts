import { Injectable } from '@nestjs/common';
import { type ArchiveKitV1, ConflictError, type KitDefinitionResult } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { withoutNulls } from '../../domain/resource-streams.js';
import { commandMetadata } from '../command-metadata.js';
import { kitResult, kitStream, ResourceStreams } from '../resource-streams.js';

/** ArchiveKit: KitArchived with the definition it is archived with; its runs and history stay. */
@Injectable()
export class ArchiveKitUseCase {
  constructor(
    private readonly streams: ResourceStreams,
    private readonly events: EventStore,
  ) {}

  async execute(command: CommandMessage<ArchiveKitV1>): Promise<KitDefinitionResult> {
    const kit = await this.streams.kitToChange(command, command.payload.kitId);
    if (kit.archived) throw new ConflictError(`kit ${kit.kitId} is already archived`);
    const data = {
      kitId: kit.kitId,
      name: kit.name,
      defaultParams: kit.defaultParams,
      ...withoutNulls({ description: kit.description, projectId: kit.projectId }),
      archivedAt: new Date().toISOString(),
    };
    await this.events.append(
      { streamId: kitStream(kit.kitId), expectedVersion: kit.version, events: [{ type: 'KitArchived', data }] },
      commandMetadata(command, { kitId: kit.kitId }),
    );
    return kitResult({ ...kit, archived: true });
  }
}
