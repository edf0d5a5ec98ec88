import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import type { AccessTokenClaims, CommandDefinition } from '@vista/contracts';

/** Sends identity commands to the auth service, as the verified caller (or anonymously for logins). */
@Injectable()
export class IdentityCommands {
  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

  send<P extends object, R>(definition: CommandDefinition<string, P, R>, payload: P, call: CommandCall, caller?: AccessTokenClaims): Promise<R> {
    return this.client.execute(definition, payload, caller ? { ...call, actor: caller.sub } : call);
  }
}
