import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import { type ModelAccessAsOf, type ModelAccessAsOfV1, NotFoundError, type RolesAsOf, type UserRolesAsOfV1 } from '@vista/contracts';
import { activeUser, userVisibleTo } from '../../domain/auth-decisions.js';
import { foldAsOf } from '../../domain/auth-state.js';
import { AuthEventsRepository } from '../../repositories/auth-events.repository.js';

/** As of any time: the fold of the auth log up to an instant answers who held what, and which approval granted it. */
@Injectable()
export class AsOfUseCase {
  constructor(private readonly log: AuthEventsRepository) {}

  async userRoles(command: CommandMessage<UserRolesAsOfV1>): Promise<RolesAsOf> {
    const now = await this.log.current();
    userVisibleTo(now, command.payload.userId, command.actor);
    const asOf = command.payload.asOf ? new Date(command.payload.asOf) : new Date();
    const then = foldAsOf(await this.log.all(), asOf);
    const user = then.users.get(command.payload.userId);
    const roles = user ? [...user.roles].map(([role, g]) => ({ role, since: g.since, grantedBy: g.grantedBy, requestId: g.requestId })) : [];
    return { userId: command.payload.userId, asOf: asOf.toISOString(), roles: roles.sort((a, b) => a.role.localeCompare(b.role)) };
  }

  async modelAccess(command: CommandMessage<ModelAccessAsOfV1>): Promise<ModelAccessAsOf> {
    const now = await this.log.current();
    const actor = activeUser(now, command.actor);
    const current = now.models.get(command.payload.setupModelId);
    // Who may use a model is the owner's and the admins' business.
    if (!current || (current.ownerId !== actor.userId && !actor.roles.has('admin'))) {
      throw new NotFoundError(`set-up model ${command.payload.setupModelId} does not exist`);
    }
    const asOf = command.payload.asOf ? new Date(command.payload.asOf) : new Date();
    const then = foldAsOf(await this.log.all(), asOf);
    const model = then.models.get(command.payload.setupModelId);
    const users: ModelAccessAsOf['users'] = model
      ? [
          { userId: model.ownerId, as: 'owner' as const, since: model.createdAt, requestId: null, grantedBy: model.ownerId },
          ...[...model.grants].map(([userId, g]) => ({ userId, as: 'granted' as const, since: g.since, requestId: g.requestId, grantedBy: g.grantedBy })),
        ]
      : [];
    return { setupModelId: command.payload.setupModelId, asOf: asOf.toISOString(), users };
  }
}
