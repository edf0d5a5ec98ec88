import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import type { CommandDefinition } from '@vista/contracts';

/** How long the gateway waits for a bulk add (thousands of rows, each with its event). */
export const BULK_TIMEOUT_MS = 60_000;

/** Sends lot-tracking commands (rows, the batch, its results) as the verified caller; the service checks access again. */
@Injectable()
export class LotTrackingClient {
  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

  send<P extends object, R>(definition: CommandDefinition<string, P, R>, payload: P, call: CommandCall, timeoutMs?: number): Promise<R> {
    return this.client.execute(definition, payload, timeoutMs ? { ...call, timeoutMs } : call);
  }
}
