import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { CommandClient } from '@vista/bus';
import { PredictWithModel, type PredictWithModelResult } from '@vista/contracts';
import { SERVICE_TOKENS, type ServiceTokenIssuer } from '@vista/identity';
import { LOT_TRACKING_CONFIG, type LotTrackingConfig } from '../config/lot-tracking.config.js';

/** The service's own command client (its NATS connection), signing as `service:lot-tracking`. */
export const commandClientProvider: Provider = {
  provide: CommandClient,
  inject: [LOT_TRACKING_CONFIG, SERVICE_TOKENS],
  useFactory: async (config: LotTrackingConfig, tokens: ServiceTokenIssuer | null) => {
    const client = new CommandClient(config.VISTA_BUS_NAMESPACE, config.NATS_URL.split(','), 'lot-tracking-commands', {
      serviceAuthorization: tokens ? () => tokens.authorization() : undefined,
    });
    await client.connect();
    return client;
  },
};

/** Asks the ml service for predictions: one chunk of rows with one model per request, on ml's pool and in its latency histogram. */
@Injectable()
export class MlClient implements OnApplicationShutdown {
  constructor(
    @Inject(CommandClient) private readonly client: CommandClient,
    @Inject(LOT_TRACKING_CONFIG) private readonly config: Pick<LotTrackingConfig, 'LOT_BATCH_PREDICT_TIMEOUT_MS'>,
  ) {}

  predict(modelId: string, rows: Record<string, number>[], correlationId: string): Promise<PredictWithModelResult> {
    return this.client.execute(
      PredictWithModel,
      { modelId, rows },
      { actor: 'service:lot-tracking', correlationId, timeoutMs: this.config.LOT_BATCH_PREDICT_TIMEOUT_MS },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
