import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CommandMessage } from '@vista/bus';
import type { EventMetadata, RoleRequestView, TokenPair, UserView } from '@vista/contracts';
import type { NewEvent } from '@vista/event-store';
import { AUTH_CONFIG, type AuthConfig } from '../../config/auth.config.js';
import { type AuthState, roleRequestView, rolesOf, type UserState, userView } from '../../domain/auth-state.js';
import { unauthenticated } from '../../domain/unauthenticated.js';
import { AuthEventsRepository } from '../../repositories/auth-events.repository.js';
import { AuthSecretsRepository } from '../../repositories/auth-secrets.repository.js';
import { SsoClient } from '../../sso/sso-client.js';
import { hashPassword, verifyPassword } from '../../tokens/passwords.js';
import { TokenSigner, hashRefreshToken, newRefreshToken } from '../../tokens/token-signer.js';

const SYSTEM = (correlationId: string): EventMetadata => ({ actor: 'service:auth', correlationId });

/**
 * Sessions: the local admin's password login, the SSO login (users are registered on their first),
 * rotating refresh tokens (a rotated one used again ends the whole session) and logout.
 */
@Injectable()
export class SessionsUseCase implements OnApplicationBootstrap {
  private readonly logger = new Logger('auth');

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly log: AuthEventsRepository,
    private readonly secrets: AuthSecretsRepository,
    private readonly signer: TokenSigner,
    private readonly sso: SsoClient,
  ) {}

  /** On a fresh install, the local admin of VISTA_ADMIN_USER / VISTA_ADMIN_PASSWORD. */
  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.VISTA_ADMIN_USER;
    const password = this.config.VISTA_ADMIN_PASSWORD;
    if (!username || !password) return;
    const userId = randomUUID();
    const created = await this.log.decide(SYSTEM(randomUUID()), (state) => {
      if (state.usernames.has(username.toLowerCase())) return { events: [], answer: () => false };
      return {
        events: [
          { type: 'UserRegistered', data: { userId, username, name: username, email: null, source: 'bootstrap', ssoSubject: null } },
          { type: 'RoleGranted', data: { userId, role: 'admin', requestId: null, grantedBy: 'system:bootstrap' } },
        ],
        answer: () => true,
      };
    });
    if (created) {
      await this.secrets.setPassword(userId, await hashPassword(password));
      this.logger.log(`local admin ${username} created`);
    }
  }

  async loginWithPassword(command: CommandMessage<{ username: string; password: string }>): Promise<TokenPair> {
    const state = await this.log.current();
    const userId = state.usernames.get(command.payload.username.toLowerCase());
    const stored = userId ? await this.secrets.passwordHash(userId) : undefined;
    const ok = stored ? await verifyPassword(command.payload.password, stored) : await hashPassword(command.payload.password).then(() => false);
    const user = userId ? state.users.get(userId) : undefined;
    if (!ok || !user || !user.active) throw unauthenticated('wrong username or password');
    return this.startSession(user.userId, 'password', command.correlationId);
  }

  async beginSso(command: CommandMessage<{ loginHint?: string; redirectUri?: string }>): Promise<{ authorizationUrl: string; state: string }> {
    const begun = await this.sso.begin(command.payload.loginHint, command.payload.redirectUri);
    await this.secrets.saveSsoLogin(begun.state, begun.codeVerifier, begun.nonce, begun.redirectUri);
    return { authorizationUrl: begun.authorizationUrl, state: begun.state };
  }

  async completeSso(command: CommandMessage<{ query: string }>): Promise<TokenPair> {
    const params = new URLSearchParams(command.payload.query);
    if (params.has('error')) throw unauthenticated(`the SSO provider refused the login: ${params.get('error_description') ?? params.get('error')}`);
    const stateParam = params.get('state');
    const pending = stateParam ? await this.secrets.takeSsoLogin(stateParam) : undefined;
    if (!stateParam || !pending) throw unauthenticated('unknown or expired SSO login (state)');
    let identity;
    try {
      identity = await this.sso.complete(command.payload.query, { state: stateParam, ...pending });
    } catch (error) {
      if ((error as { code?: string }).code === 'unavailable') throw error;
      throw unauthenticated(`the SSO login could not be completed: ${(error as Error).message}`);
    }
    const admins = new Set(
      this.config.AUTH_SSO_ADMINS.split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    );
    const newId = randomUUID();
    const userId = await this.log.decide({ actor: 'service:auth', correlationId: command.correlationId }, (state) => {
      const known = state.ssoSubjects.get(identity.subject);
      if (known) return { events: [], answer: () => known };
      // The username is taken by a user who came another way: the SSO user gets a distinct one.
      const username = state.usernames.has(identity.username.toLowerCase()) ? `${identity.username}@sso` : identity.username;
      const events: NewEvent[] = [
        { type: 'UserRegistered', data: { userId: newId, username, name: identity.name, email: identity.email, source: 'sso', ssoSubject: identity.subject } },
      ];
      if (admins.has(identity.username.toLowerCase()))
        events.push({ type: 'RoleGranted', data: { userId: newId, role: 'admin', requestId: null, grantedBy: 'system:sso-admins' } });
      return { events, answer: () => newId };
    });
    const user = (await this.log.current()).users.get(userId);
    if (!user?.active) throw unauthenticated('this user is deactivated');
    return this.startSession(userId, 'sso', command.correlationId);
  }

  async refresh(command: CommandMessage<{ refreshToken: string }>): Promise<TokenPair> {
    const hash = hashRefreshToken(command.payload.refreshToken);
    const found = await this.secrets.findRefreshToken(hash);
    if (!found) throw unauthenticated('unknown refresh token');
    const state = await this.log.current();
    const session = state.sessions.get(found.sessionId);
    if (!session?.open) throw unauthenticated('this session has ended');
    if (found.rotatedAt || !(await this.secrets.rotate(hash))) {
      // A rotated token came back: it was copied. The whole session ends.
      await this.endSession(found.sessionId, found.userId, 'refresh-token-reused', command.correlationId);
      throw unauthenticated('this refresh token was already used; the session has ended');
    }
    if (found.expiresAt.getTime() <= Date.now()) throw unauthenticated('this refresh token has expired');
    const user = state.users.get(found.userId);
    if (!user?.active) throw unauthenticated('this user is deactivated');
    return this.issue(user, found.sessionId);
  }

  async logout(command: CommandMessage<{ refreshToken: string }>): Promise<{ loggedOut: true }> {
    const found = await this.secrets.findRefreshToken(hashRefreshToken(command.payload.refreshToken));
    if (!found) throw unauthenticated('unknown refresh token');
    await this.endSession(found.sessionId, found.userId, 'logout', command.correlationId);
    return { loggedOut: true };
  }

  async me(command: CommandMessage<{ withPendingRequests?: boolean }>): Promise<UserView & { pendingRequests?: RoleRequestView[] }> {
    const state = await this.log.current();
    const user = state.users.get(command.actor);
    if (!user?.active) throw unauthenticated('the acting user is unknown or deactivated');
    if (!command.payload.withPendingRequests) return userView(user);
    const pending = [...state.roleRequests.values()].filter((r) => r.userId === user.userId && r.status === 'pending').map(roleRequestView);
    return { ...userView(user), pendingRequests: pending };
  }

  /** Ends a session (idempotent: an ended session stays ended). */
  async endSession(sessionId: string, userId: string, reason: 'logout' | 'refresh-token-reused' | 'user-deactivated', correlationId: string): Promise<void> {
    await this.log.decide({ actor: reason === 'logout' ? userId : 'service:auth', correlationId }, (state: AuthState) => ({
      events: state.sessions.get(sessionId)?.open ? [{ type: 'SessionEnded', data: { sessionId, userId, reason } }] : [],
      answer: () => undefined,
    }));
  }

  private async startSession(userId: string, method: 'sso' | 'password', correlationId: string): Promise<TokenPair> {
    const sessionId = randomUUID();
    await this.log.decide({ actor: userId, correlationId }, () => ({
      events: [{ type: 'SessionStarted', data: { sessionId, userId, method } }],
      answer: () => undefined,
    }));
    const user = (await this.log.current()).users.get(userId)!;
    return this.issue(user, sessionId);
  }

  private async issue(user: UserState, sessionId: string): Promise<TokenPair> {
    const refreshToken = newRefreshToken(sessionId);
    await this.secrets.addRefreshToken(
      hashRefreshToken(refreshToken),
      sessionId,
      user.userId,
      new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    );
    const accessToken = await this.signer.sign({ sub: user.userId, name: user.name, roles: rolesOf(user), sid: sessionId });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.signer.ttlSeconds, refreshToken, user: userView(user) };
  }
}
