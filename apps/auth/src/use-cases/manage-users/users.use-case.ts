import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import { ConflictError, type CreateUserV1, type DeactivateUserV1, type UpdateUserV1, type UserIdV1, type UserView } from '@vista/contracts';
import type { NewEvent } from '@vista/event-store';
import { activeUser, requireAdmin, userVisibleTo } from '../../domain/auth-decisions.js';
import { userView } from '../../domain/auth-state.js';
import { AuthEventsRepository } from '../../repositories/auth-events.repository.js';

const meta = (command: CommandMessage<unknown>) => ({ actor: command.actor, correlationId: command.correlationId });

/** Users (seed 001): an admin creates, lists and deactivates them; a user reads and updates themselves. */
@Injectable()
export class UsersUseCase {
  constructor(private readonly log: AuthEventsRepository) {}

  create(command: CommandMessage<CreateUserV1>): Promise<UserView> {
    const userId = randomUUID();
    const { username, name, email } = command.payload;
    return this.log.decide(meta(command), (state) => {
      requireAdmin(state, command.actor);
      if (state.usernames.has(username.toLowerCase())) throw new ConflictError(`username ${username} is taken`);
      return {
        events: [{ type: 'UserRegistered', data: { userId, username, name, email: email ?? null, source: 'admin', ssoSubject: null } }],
        answer: (s) => userView(s.users.get(userId)!),
      };
    });
  }

  async list(command: CommandMessage<{ includeInactive?: boolean }>): Promise<UserView[]> {
    const state = await this.log.current();
    requireAdmin(state, command.actor);
    return [...state.users.values()]
      .filter((u) => u.active || command.payload.includeInactive)
      .map(userView)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async get(command: CommandMessage<UserIdV1>): Promise<UserView> {
    return userView(userVisibleTo(await this.log.current(), command.payload.userId, command.actor));
  }

  update(command: CommandMessage<UpdateUserV1>): Promise<UserView> {
    const { userId, name, email } = command.payload;
    return this.log.decide(meta(command), (state) => {
      const user = userVisibleTo(state, userId, command.actor);
      const changes: { name?: string; email?: string } = {};
      if (name !== undefined && name !== user.name) changes.name = name;
      if (email !== undefined && email !== user.email) changes.email = email;
      const events: NewEvent[] = Object.keys(changes).length ? [{ type: 'UserUpdated', data: { userId, ...changes } }] : [];
      return { events, answer: (s) => userView(s.users.get(userId)!) };
    });
  }

  deactivate(command: CommandMessage<DeactivateUserV1>): Promise<UserView> {
    const { userId, reason } = command.payload;
    return this.log.decide(meta(command), (state) => {
      requireAdmin(state, command.actor);
      const user = userVisibleTo(state, userId, command.actor);
      if (!user.active) return { events: [], answer: (s) => userView(s.users.get(userId)!) };
      if (userId === command.actor) throw new ConflictError('an admin cannot deactivate themselves');
      const events: NewEvent[] = [{ type: 'UserDeactivated', data: { userId, reason: reason ?? null } }];
      for (const [sessionId, session] of state.sessions) {
        if (session.userId === userId && session.open) events.push({ type: 'SessionEnded', data: { sessionId, userId, reason: 'user-deactivated' } });
      }
      return { events, answer: (s) => userView(s.users.get(userId)!) };
    });
  }

  /** The acting user, active (for handlers that only need to know they exist). */
  async actor(command: CommandMessage<unknown>) {
    return activeUser(await this.log.current(), command.actor);
  }
}
