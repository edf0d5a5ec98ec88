import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import { ForbiddenError, NotFoundError, type SetUpModelV1, type SetupModelIdV1, type SetupModelView } from '@vista/contracts';
import { activeUser, modelVisibleTo } from '../../domain/auth-decisions.js';
import { canUseModel, setupModelView } from '../../domain/auth-state.js';
import { AuthEventsRepository } from '../../repositories/auth-events.repository.js';
import { ModelRegistryRepository } from '../../repositories/model-registry.repository.js';

/**
 * Model setup (REQ-003): a `logic.model-setup` user copies a registered model (or a set-up model they
 * may use) into a set-up model of their own, with its lineage back to the registry model.
 */
@Injectable()
export class SetUpModelUseCase {
  constructor(
    private readonly log: AuthEventsRepository,
    private readonly registry: ModelRegistryRepository,
  ) {}

  async setUp(command: CommandMessage<SetUpModelV1>): Promise<SetupModelView> {
    const { sourceModelId, name, description, attributes } = command.payload;
    const setupModelId = randomUUID();
    const registered = await this.registry.find(sourceModelId);
    return this.log.decide({ actor: command.actor, correlationId: command.correlationId }, (state) => {
      const actor = activeUser(state, command.actor);
      if (!actor.roles.has('logic.model-setup') && !actor.roles.has('admin')) throw new ForbiddenError('setting up a model needs the logic.model-setup role');
      const copied = state.models.get(sourceModelId);
      if (copied && !canUseModel(state, copied, actor.userId)) {
        throw new ForbiddenError(`you have no access to set-up model ${sourceModelId}; request access to it before copying it`);
      }
      if (!copied && !registered) throw new NotFoundError(`model ${sourceModelId} does not exist in the registry`);
      const source = copied
        ? {
            registryModelId: copied.registryModelId,
            lineage: [sourceModelId, ...copied.lineage],
            name: copied.name,
            description: copied.description,
            attributes: copied.attributes,
          }
        : {
            registryModelId: sourceModelId,
            lineage: [sourceModelId],
            name: `${registered!.algorithm} model of kit ${registered!.kitId}`,
            description: null,
            attributes: {},
          };
      return {
        events: [
          {
            type: 'ModelSetUp',
            data: {
              setupModelId,
              sourceModelId,
              registryModelId: source.registryModelId,
              ownerId: actor.userId,
              name: name ?? source.name,
              description: description ?? source.description,
              attributes: { ...source.attributes, ...(attributes ?? {}) },
              lineage: source.lineage,
            },
          },
        ],
        answer: (s) => setupModelView(s, s.models.get(setupModelId)!, actor.userId),
      };
    });
  }

  /** Set-up models: every one for a user who may see the catalogue of them; `canUse` tells which they may predict with. */
  async list(command: CommandMessage<{ usableOnly?: boolean }>): Promise<SetupModelView[]> {
    const state = await this.log.current();
    activeUser(state, command.actor);
    const views = [...state.models.values()].map((m) => setupModelView(state, m, command.actor)).reverse();
    return command.payload.usableOnly ? views.filter((v) => v.canUse) : views;
  }

  async get(command: CommandMessage<SetupModelIdV1>): Promise<SetupModelView> {
    const state = await this.log.current();
    activeUser(state, command.actor);
    const model = state.models.get(command.payload.setupModelId);
    if (!model) throw new NotFoundError(`set-up model ${command.payload.setupModelId} does not exist`);
    return setupModelView(state, model, command.actor);
  }

  /** May the actor predict with it? The registry model to predict with, or a refusal. */
  async check(command: CommandMessage<SetupModelIdV1>): Promise<{ setupModelId: string; registryModelId: string }> {
    const state = await this.log.current();
    activeUser(state, command.actor);
    const model = state.models.get(command.payload.setupModelId);
    if (!model) throw new NotFoundError(`set-up model ${command.payload.setupModelId} does not exist`);
    if (!canUseModel(state, model, command.actor)) throw new ForbiddenError(`you have no access to set-up model ${model.name}; request it first`);
    return { setupModelId: model.setupModelId, registryModelId: modelVisibleTo(state, model.setupModelId, command.actor).registryModelId };
  }
}
