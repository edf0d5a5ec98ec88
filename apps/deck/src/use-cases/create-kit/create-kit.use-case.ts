import { Injectable } from '@nestjs/common';
import type { CreateKitV1, KitDefinitionResult } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { withoutNulls } from '../../domain/resource-streams.js';
import { KitIdRepository } from '../../repositories/kit-id.repository.js';
import { commandMetadata } from '../command-metadata.js';
import { type CommandWrite, IdempotentCommands } from '../idempotent-commands.js';
import { kitResult, kitStream } from '../resource-streams.js';

/** CreateKit: a named task with a new id, owned by its creator, as KitCreated on the stream `kit-<kitId>`. */
@Injectable()
export class CreateKitUseCase {
  constructor(
    private readonly ids: KitIdRepository,
    private readonly events: EventStore,
    private readonly idempotent: IdempotentCommands,
  ) {}

  /** With an idempotency key, at most one kit per key: a repeat answers the kit the first request created. */
  async execute(command: CommandMessage<CreateKitV1>): Promise<KitDefinitionResult> {
    const { result } = await this.idempotent.execute(command, 'CreateKit', () => this.prepare(command));
    return result;
  }

  private async prepare(command: CommandMessage<CreateKitV1>): Promise<CommandWrite<KitDefinitionResult>> {
    const { payload } = command;
    const kitId = await this.ids.next();
    const definition = {
      kitId,
      name: payload.name.trim(),
      description: payload.description ?? null,
      defaultParams: { ...payload.defaultParams } as Record<string, unknown>,
      projectId: payload.projectId ?? null,
      archived: false,
    };
    const data = {
      kitId,
      name: definition.name,
      defaultParams: definition.defaultParams,
      ...withoutNulls({ description: definition.description, projectId: definition.projectId }),
      createdAt: new Date().toISOString(),
    };
    return async (trx) => {
      await this.events.append(
        { streamId: kitStream(kitId), expectedVersion: 0, events: [{ type: 'KitCreated', data }] },
        commandMetadata(command, { kitId }),
        trx,
      );
      return kitResult(definition);
    };
  }
}
