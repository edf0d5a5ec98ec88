import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CreateProjectResult, CreateProjectV1 } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { EventStore } from '@vista/event-store';
import { withoutNulls } from '../../domain/resource-streams.js';
import { commandMetadata } from '../command-metadata.js';
import { IdempotentCommands } from '../idempotent-commands.js';

/** CreateProject: a project kits can belong to, owned by its creator (ProjectCreated on `project-<id>`). */
@Injectable()
export class CreateProjectUseCase {
  constructor(
    private readonly events: EventStore,
    private readonly idempotent: IdempotentCommands,
  ) {}

  /** With an idempotency key, at most one project per key. */
  async execute(command: CommandMessage<CreateProjectV1>): Promise<CreateProjectResult> {
    const { result } = await this.idempotent.execute(command, 'CreateProject', async () => {
      const projectId = randomUUID();
      const name = command.payload.name.trim();
      const description = command.payload.description ?? null;
      return async (trx) => {
        await this.events.append(
          {
            streamId: `project-${projectId}`,
            expectedVersion: 0,
            events: [{ type: 'ProjectCreated', data: { projectId, name, ...withoutNulls({ description }), createdAt: new Date().toISOString() } }],
          },
          commandMetadata(command),
          trx,
        );
        return { projectId, name, description };
      };
    });
    return result;
  }
}
