import { ClientNats, NatsRecordBuilder } from '@nestjs/microservices';
import { context, propagation } from '@opentelemetry/api';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { type CommandDefinition, type CommandPayloadOf, type CommandResultOf, UnavailableError, VistaError } from '@vista/contracts';
import { firstValueFrom, timeout as rxTimeout, TimeoutError } from 'rxjs';

export interface CommandCall {
  readonly actor: string;
  readonly correlationId: string;
  /**
   * The `Authorization` header value proving who sends it (`Bearer <token>`): the user's access token,
   * forwarded. Without one the client sends its service token (when it has one).
   */
  readonly authorization?: string;
  /** How long to wait for the reply (default 10 s). */
  readonly timeoutMs?: number;
}

/**
 * Sends commands as NATS request/reply through Nest's NATS client, with the caller's trace context
 * in headers; replies that are errors come back as VistaError with the service's code.
 */
export class CommandClient {
  private readonly client: ClientNats;

  constructor(
    private readonly namespace: string,
    servers: string[],
    name: string,
    private readonly options: { serviceAuthorization?: () => Promise<string> } = {},
  ) {
    this.client = new ClientNats({ servers, name, maxReconnectAttempts: -1 } as never);
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async execute<C extends CommandDefinition>(definition: C, payload: CommandPayloadOf<C>, call: CommandCall): Promise<CommandResultOf<C>> {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const h = natsHeaders();
    for (const [key, value] of Object.entries(carrier)) h.set(key, value);
    const authorization = call.authorization ?? (await this.options.serviceAuthorization?.());
    if (authorization) h.set('Authorization', authorization);
    const record = new NatsRecordBuilder({ payload, actor: call.actor, correlationId: call.correlationId }).setHeaders(h).build();
    try {
      return await firstValueFrom(this.client.send(`${this.namespace}.${definition.pattern}`, record).pipe(rxTimeout(call.timeoutMs ?? 10_000)));
    } catch (error) {
      if (VistaError.isWire(error)) throw VistaError.fromWire(error);
      if (error instanceof TimeoutError) throw new VistaError('timeout', `${definition.name} got no reply in time`, { cause: error });
      throw new UnavailableError(`${definition.name} could not be delivered: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  }
}
