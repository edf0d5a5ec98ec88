// The route policies live in @vista/identity (every service with HTTP routes shares them).
export { Authenticated, Public, RequireRoles, ROUTE_POLICY, type RoutePolicy } from '@vista/identity';
