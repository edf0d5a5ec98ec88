import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NatsContext } from '@nestjs/microservices';
import { type CommandDefinition, ForbiddenError, UnavailableError, commandRefusal } from '@vista/contracts';
import { AccessTokenVerifier } from '@vista/identity';

export const COMMAND_DEFINITION = 'vista:command-definition';
/** Set on a command message once its sender was verified; CommandPipe refuses a message without it. */
export const VERIFIED_SENDER = Symbol('vista:verified-sender');

/** Remembers which contract a handler serves (for its access rule). */
export const CommandDefinitionOf = (definition: CommandDefinition) => SetMetadata(COMMAND_DEFINITION, definition);

/**
 * Checks who sent a command before its handler runs: the NATS header `Authorization: Bearer <token>`
 * is verified (a user's access token, or a service token), the sender must be allowed by the
 * command's `access`, and the verified sender replaces whatever `actor`/`roles` the message body says
 * (`unauthenticated` without a valid token, `forbidden` without the right).
 */
@Injectable()
export class CommandAccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Optional() @Inject(AccessTokenVerifier) private readonly verifier?: AccessTokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'rpc') return true;
    const definition = this.reflector.get<CommandDefinition | undefined>(COMMAND_DEFINITION, ctx.getHandler());
    if (!definition) throw new ForbiddenError('this command handler declares no command contract');
    if (!this.verifier) throw new UnavailableError('this service cannot verify who sends commands (no IdentityModule)');
    const rpc = ctx.switchToRpc();
    const headers = rpc.getContext<NatsContext>().getHeaders() as { get(key: string): string } | undefined;
    const actor = await this.verifier.verifyActor(headers?.get('Authorization') || undefined);
    const refusal = commandRefusal(definition, actor);
    if (refusal) throw new ForbiddenError(refusal);
    const message = rpc.getData() as Record<string | symbol, unknown> | null;
    if (typeof message !== 'object' || message === null) return true; // the pipe refuses it
    message.actor = actor.id;
    message.roles = actor.roles;
    message[VERIFIED_SENDER] = actor;
    return true;
  }
}
