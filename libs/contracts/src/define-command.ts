import type { Role } from './auth/access-token.js';
import type { BoundedContext } from './define-event.js';
import type { ClassOf } from './validation.js';

export interface CommandDefinition<TName extends string = string, TPayload extends object = object, TResult = unknown> {
  readonly kind: 'command';
  readonly name: TName;
  readonly context: BoundedContext;
  readonly payload: ClassOf<TPayload>;
  /** The NATS pattern below the namespace: `cmd.<context>.<name>`. */
  readonly pattern: string;
  /** Who may send it; checked by the receiving service on every message (see CommandAccess). */
  readonly access: CommandAccess;
  /** Type-only marker of the reply. */
  readonly result?: TResult;
}

/**
 * Who may send a command, checked again by the service that receives it (the gateway is not the only
 * line of defence). The sender proves who it is with the NATS header `Authorization: Bearer <token>`:
 * a user's access token (forwarded by the gateway) or a service token (signed with SERVICE_SIGNING_KEY).
 */
export interface CommandAccess {
  /** Users allowed: `any` with a valid access token, or those holding one of these roles; omitted: no user. */
  readonly users?: 'any' | readonly Role[];
  /** Vista's own services (`service:<name>`) may send it. */
  readonly services?: boolean;
}

/** When a command declares nothing: any verified sender (a user with a valid token or a service); never nobody. */
export const DEFAULT_COMMAND_ACCESS: CommandAccess = { users: 'any', services: true };

/** Declares a command contract carried as NATS request/reply. */
export function defineCommand<TName extends string, TPayload extends object, TResult>(definition: {
  name: TName;
  context: BoundedContext;
  payload: ClassOf<TPayload>;
  access?: CommandAccess;
}): CommandDefinition<TName, TPayload, TResult> {
  return { kind: 'command', pattern: `cmd.${definition.context}.${definition.name}`, ...definition, access: definition.access ?? DEFAULT_COMMAND_ACCESS };
}

/** Why `actor` may not send `definition`, or undefined when it may. */
export function commandRefusal(
  definition: Pick<CommandDefinition, 'name' | 'access'>,
  actor: { readonly kind: 'user' | 'service'; readonly roles: readonly Role[] },
): string | undefined {
  const { users, services } = definition.access;
  if (actor.kind === 'service') return services ? undefined : `${definition.name} is not accepted from a service`;
  if (users === 'any') return undefined;
  if (!users?.length) return `${definition.name} is accepted only from Vista's services`;
  if (users.some((role) => actor.roles.includes(role))) return undefined;
  return `${definition.name} needs the role ${users.join(' or ')}; the sender holds ${actor.roles.length ? actor.roles.join(', ') : 'no role'}`;
}

export type CommandPayloadOf<C> = C extends CommandDefinition<string, infer P, unknown> ? P : never;
export type CommandResultOf<C> = C extends CommandDefinition<string, object, infer R> ? R : never;
