import { SetMetadata } from '@nestjs/common';
import type { Role } from '@vista/contracts';

/** Who may call a route. Every route declares one; a route without a policy is refused. */
export type RoutePolicy = { readonly kind: 'public' } | { readonly kind: 'authenticated' } | { readonly kind: 'roles'; readonly roles: readonly Role[] };

export const ROUTE_POLICY = 'vista:route-policy';

/** Anyone, logged in or not (health, login, the dashboard's static files). */
export const Public = () => SetMetadata(ROUTE_POLICY, { kind: 'public' } satisfies RoutePolicy);
/** Any user with a valid access token; object-level checks still apply. */
export const Authenticated = () => SetMetadata(ROUTE_POLICY, { kind: 'authenticated' } satisfies RoutePolicy);
/** A user holding at least one of these roles. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(ROUTE_POLICY, { kind: 'roles', roles } satisfies RoutePolicy);
