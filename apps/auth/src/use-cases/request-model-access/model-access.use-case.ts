import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import type {
  AlreadyGranted,
  DecideRequestV1,
  ListModelAccessRequestsV1,
  ModelAccessRequestView,
  RequestModelAccessV1,
  RevokeModelAccessV1,
} from '@vista/contracts';
import { activeUser, decideModelAccessDecision, decideRequestModelAccess, decideRevokeModelAccess } from '../../domain/auth-decisions.js';
import { accessRequestView } from '../../domain/auth-state.js';
import { AuthEventsRepository } from '../../repositories/auth-events.repository.js';

const meta = (command: CommandMessage<unknown>) => ({ actor: command.actor, correlationId: command.correlationId });

/** Model access (REQ-004): a user asks to use a set-up model; its owner or an admin approves or rejects. */
@Injectable()
export class ModelAccessUseCase {
  constructor(private readonly log: AuthEventsRepository) {}

  request(command: CommandMessage<RequestModelAccessV1>): Promise<ModelAccessRequestView | AlreadyGranted> {
    const requestId = randomUUID();
    const { setupModelId, reason } = command.payload;
    return this.log.decide<ModelAccessRequestView | AlreadyGranted>(meta(command), (state) => {
      const decided = decideRequestModelAccess(state, command.actor, requestId, setupModelId, reason);
      if (!Array.isArray(decided)) return { events: [], answer: (): AlreadyGranted => ({ status: 'already-granted', message: decided.alreadyGranted }) };
      return { events: decided, answer: (s) => accessRequestView(s.accessRequests.get(requestId)!) };
    });
  }

  /** Requests the actor made, and those for models the actor owns; an admin sees all. Newest first. */
  async list(command: CommandMessage<ListModelAccessRequestsV1>): Promise<ModelAccessRequestView[]> {
    const state = await this.log.current();
    const actor = activeUser(state, command.actor);
    const admin = actor.roles.has('admin');
    return [...state.accessRequests.values()]
      .filter((r) => admin || r.userId === actor.userId || state.models.get(r.setupModelId)?.ownerId === actor.userId)
      .filter((r) => !command.payload.status || r.status === command.payload.status)
      .map(accessRequestView)
      .reverse();
  }

  decide(command: CommandMessage<DecideRequestV1>): Promise<ModelAccessRequestView> {
    const { requestId, decision, reason } = command.payload;
    return this.log.decide(meta(command), (state) => ({
      events: decideModelAccessDecision(state, command.actor, requestId, decision, reason),
      answer: (s) => accessRequestView(s.accessRequests.get(requestId)!),
    }));
  }

  revoke(command: CommandMessage<RevokeModelAccessV1>): Promise<{ revoked: true }> {
    const { setupModelId, userId, reason } = command.payload;
    return this.log.decide(meta(command), (state) => ({
      events: decideRevokeModelAccess(state, command.actor, setupModelId, userId, reason),
      answer: () => ({ revoked: true as const }),
    }));
  }
}
