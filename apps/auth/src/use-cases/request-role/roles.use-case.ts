import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import type { DecideRequestV1, ListRoleRequestsV1, RequestRoleV1, RevokeRoleV1, RoleRequestView, UserView } from '@vista/contracts';
import { activeUser, decideRequestRole, decideRevokeRole, decideRoleDecision } from '../../domain/auth-decisions.js';
import { roleRequestView, userView } from '../../domain/auth-state.js';
import { AuthEventsRepository } from '../../repositories/auth-events.repository.js';

const meta = (command: CommandMessage<unknown>) => ({ actor: command.actor, correlationId: command.correlationId });

/** Role requests (REQ-001/002): a user asks with a reason, an admin approves or rejects with one. */
@Injectable()
export class RolesUseCase {
  constructor(private readonly log: AuthEventsRepository) {}

  request(command: CommandMessage<RequestRoleV1>): Promise<RoleRequestView> {
    const requestId = randomUUID();
    return this.log.decide(meta(command), (state) => ({
      events: decideRequestRole(state, command.actor, requestId, command.payload.role, command.payload.reason),
      answer: (s) => roleRequestView(s.roleRequests.get(requestId)!),
    }));
  }

  /** The actor's own requests; an admin sees everyone's. Newest first. */
  async list(command: CommandMessage<ListRoleRequestsV1>): Promise<RoleRequestView[]> {
    const state = await this.log.current();
    const actor = activeUser(state, command.actor);
    const admin = actor.roles.has('admin');
    return [...state.roleRequests.values()]
      .filter((r) => (admin || r.userId === actor.userId) && (!command.payload.status || r.status === command.payload.status))
      .map(roleRequestView)
      .reverse();
  }

  decide(command: CommandMessage<DecideRequestV1>): Promise<RoleRequestView> {
    const { requestId, decision, reason } = command.payload;
    return this.log.decide(meta(command), (state) => ({
      events: decideRoleDecision(state, command.actor, requestId, decision, reason),
      answer: (s) => roleRequestView(s.roleRequests.get(requestId)!),
    }));
  }

  revoke(command: CommandMessage<RevokeRoleV1>): Promise<UserView> {
    const { userId, role, reason } = command.payload;
    return this.log.decide(meta(command), (state) => ({
      events: decideRevokeRole(state, command.actor, userId, role, reason),
      answer: (s) => userView(s.users.get(userId)!),
    }));
  }
}
