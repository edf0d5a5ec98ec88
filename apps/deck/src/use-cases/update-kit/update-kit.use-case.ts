import { Injectable } from '@nestjs/common';
import type { KitDefinitionResult, UpdateKitV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { withoutNulls } from '../../domain/resource-streams.js';
import { commandMetadata } from '../command-metadata.js';
import { kitResult, kitStream, ResourceStreams } from '../resource-streams.js';

/** UpdateKit: the kit's whole new definition as KitUpdated, at the version read (a concurrent change is a conflict). */
@Injectable()
export class UpdateKitUseCase {
  constructor(
    private readonly streams: ResourceStreams,
    private readonly events: EventStore,
  ) {}

  async execute(command: CommandMessage<UpdateKitV1>): Promise<KitDefinitionResult> {
    const { payload } = command;
    const kit = await this.streams.kitToChange(command, payload.kitId);
    const next = {
      ...kit,
      name: payload.name?.trim() ?? kit.name,
      description: payload.description === undefined ? kit.description : payload.description,
      defaultParams: payload.defaultParams ? ({ ...payload.defaultParams } as Record<string, unknown>) : kit.defaultParams,
      projectId: payload.projectId === undefined ? kit.projectId : payload.projectId,
    };
    const data = {
      kitId: kit.kitId,
      name: next.name,
      defaultParams: next.defaultParams,
      ...withoutNulls({ description: next.description, projectId: next.projectId }),
      updatedAt: new Date().toISOString(),
    };
    await this.events.append(
      { streamId: kitStream(kit.kitId), expectedVersion: kit.version, events: [{ type: 'KitUpdated', data }] },
      commandMetadata(command, { kitId: kit.kitId }),
    );
    return kitResult(next);
  }
}
