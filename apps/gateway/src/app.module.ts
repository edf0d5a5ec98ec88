import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule, NATS_CONNECTION, natsHealthCheck } from '@vista/bus';
import { DATABASE, DatabaseModule, databaseHealthCheck } from '@vista/db';
import { IdentityModule } from '@vista/identity';
import { HealthModule, LoggingModule, MetricsModule } from '@vista/telemetry';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { ApiModule } from './api.module.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config.js';
import { DashboardController } from './dashboard/dashboard.controller.js';
import { DeactivatedUsers } from './http/deactivated-users.js';
import { LotsPageController } from './dashboard/lots.controller.js';
import { ModelMetricsPageController } from './dashboard/model-metrics.controller.js';

export const SERVICE_NAME = 'gateway';

@Global()
@Module({})
class GatewayConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: GatewayConfigModule, providers: [{ provide: GATEWAY_CONFIG, useValue: config }], exports: [GATEWAY_CONFIG] };
  }
}

@Module({ controllers: [DashboardController, ModelMetricsPageController, LotsPageController] })
class DashboardModule {}

/** Refuses the tokens of users deactivated since they were issued. */
@Module({ providers: [DeactivatedUsers] })
class DeactivatedUsersModule {}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GatewayConfigModule.forRoot(config),
        LoggingModule.forRoot({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: SERVICE_NAME }),
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.VISTA_BUS_NAMESPACE, name: SERVICE_NAME, streamReplicas: config.VISTA_STREAM_REPLICAS }),
        MetricsModule.forRoot({ serviceName: SERVICE_NAME }),
        // Every route declares who may call it; the guard refuses the rest (deny by default).
        IdentityModule.forRoot({ env: config, serviceName: SERVICE_NAME, guardRoutes: true }),
        HealthModule.forRootAsync({
          inject: [DATABASE, NATS_CONNECTION],
          useFactory: (db: Kysely<any>, nc: NatsConnection) => [databaseHealthCheck(db), natsHealthCheck(nc)],
        }),
        DeactivatedUsersModule,
        ApiModule,
        DashboardModule,
      ],
    };
  }
}
