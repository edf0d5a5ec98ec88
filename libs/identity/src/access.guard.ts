import { type CanActivate, type ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AccessTokenClaims, ForbiddenError, UnauthenticatedError } from '@vista/contracts';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { ROUTE_POLICY, type RoutePolicy } from './route-policy.js';

/** Where the guard leaves the verified claims on the request. */
export const IDENTITY_REQUEST_KEY = 'vistaIdentity';

interface RequestWithIdentity {
  headers: Record<string, string | string[] | undefined>;
  [IDENTITY_REQUEST_KEY]?: AccessTokenClaims;
  method?: string;
  originalUrl?: string;
}

/**
 * Deny by default: every HTTP route must declare `@Public()`, `@Authenticated()` or
 * `@RequireRoles(...)` (on the handler or its controller); a route without one is refused (403) and
 * fails the access test. On a public route a token is verified when sent (so a handler may know who
 * calls) and ignored when it does not verify. Commands over NATS are checked by `@OnCommand`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(ROUTE_POLICY, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<RequestWithIdentity>();
    if (!policy) {
      throw new ForbiddenError(`${req.method ?? ''} ${(req.originalUrl ?? '').split('?', 1)[0]} declares no access policy and is refused`.trim());
    }
    const header = req.headers.authorization;
    const authorization = Array.isArray(header) ? header[0] : header;
    if (policy.kind === 'public') {
      // Who calls, when they say so and it verifies; a stale token must not lock anyone out of a public route (login).
      if (authorization) req[IDENTITY_REQUEST_KEY] = await this.verifier.verifyAuthorization(authorization).catch(() => undefined);
      return true;
    }
    const claims = await this.verifier.verifyAuthorization(authorization);
    req[IDENTITY_REQUEST_KEY] = claims;
    if (policy.kind === 'roles' && !policy.roles.some((role) => claims.roles.includes(role))) {
      throw new ForbiddenError(
        `this needs the role ${policy.roles.join(' or ')}; the caller holds ${claims.roles.length ? claims.roles.join(', ') : 'no role'}`,
      );
    }
    return true;
  }
}

/** The verified claims of the request's access token, if any. */
export function identityOf(req: object): AccessTokenClaims | undefined {
  return (req as RequestWithIdentity)[IDENTITY_REQUEST_KEY];
}

/** Handler parameter: the verified caller (routes with `@Authenticated()` or `@RequireRoles`). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AccessTokenClaims => {
  const claims = identityOf(context.switchToHttp().getRequest<object>());
  if (!claims) throw new UnauthenticatedError('an access token is required (Authorization: Bearer <token>)');
  return claims;
});
