import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { CommandClient } from '@vista/bus';
import { SERVICE_TOKENS, type ServiceTokenIssuer } from '@vista/identity';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';

/** One command client (its own NATS connection, Nest's request/reply wire format) per gateway process. */
export const commandClientProvider: Provider = {
  provide: CommandClient,
  inject: [GATEWAY_CONFIG, SERVICE_TOKENS],
  useFactory: async (config: GatewayConfig, tokens: ServiceTokenIssuer | null) => {
    // A user's command carries the user's token; what the gateway sends for nobody in particular, its own.
    const client = new CommandClient(config.VISTA_BUS_NAMESPACE, config.NATS_URL.split(','), 'gateway-commands', {
      serviceAuthorization: tokens ? () => tokens.authorization() : undefined,
    });
    await client.connect();
    return client;
  },
};

@Injectable()
export class CommandClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
