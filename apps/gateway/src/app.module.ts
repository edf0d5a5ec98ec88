import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule, NATS_CONNECTION, natsHealthCheck } from '@vista/bus';
import { DATABASE, DatabaseModule, databaseHealthCheck } from '@vista/db';
import { HealthModule, LoggingModule, MetricsModule } from '@vista/telemetry';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { ApiModule } from './api.module.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config.js';
import { DashboardController } from './dashboard/dashboard.controller.js';

export const SERVICE_NAME = 'gateway';

@Global()
@Module({})
class GatewayConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: GatewayConfigModule, providers: [{ provide: GATEWAY_CONFIG, useValue: config }], exports: [GATEWAY_CONFIG] };
  }
}

@Module({ controllers: [DashboardController] })
class DashboardModule {}

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
        HealthModule.forRootAsync({
          inject: [DATABASE, NATS_CONNECTION],
          useFactory: (db: Kysely<any>, nc: NatsConnection) => [databaseHealthCheck(db), natsHealthCheck(nc)],
        }),
        ApiModule,
        DashboardModule,
      ],
    };
  }
}
