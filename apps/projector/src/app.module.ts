import { type DynamicModule, Module } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { BusModule, NATS_CONNECTION, natsHealthCheck } from '@vista/bus';
import { DATABASE, DatabaseModule, databaseHealthCheck } from '@vista/db';
import { IdentityModule } from '@vista/identity';
import { HealthModule, LoggingModule, MetricsModule } from '@vista/telemetry';
import { ProjectorConfigModule } from './config/projector-config.module.js';
import type { ProjectorConfig } from './config/projector.config.js';
import { ProjectorHeartbeat } from './handlers/projector.heartbeat.js';
import { ProjectorModule } from './projector.module.js';
import { Reconciler } from './reconcile/reconciler.js';

export const SERVICE_NAME = 'projector';

/** The projector service: fold, heartbeat, rebuild command, health, metrics and logs. */
@Module({})
export class AppModule {
  static forRoot(config: ProjectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ProjectorConfigModule.forRoot(config),
        LoggingModule.forRoot({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL }),
        MetricsModule.forRoot({ serviceName: SERVICE_NAME }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: SERVICE_NAME }),
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.VISTA_BUS_NAMESPACE, name: SERVICE_NAME, streamReplicas: config.VISTA_STREAM_REPLICAS }),
        // Who sends RebuildReadModel is verified (@OnCommand).
        IdentityModule.forRoot({ env: config, serviceName: SERVICE_NAME }),
        ProjectorModule,
        HealthModule.forRootAsync({
          imports: [ProjectorModule],
          inject: [DATABASE, NATS_CONNECTION, ProjectorHeartbeat, Reconciler],
          useFactory: (db: Kysely<any>, nc: NatsConnection, heartbeat: ProjectorHeartbeat, reconciler: Reconciler) => [
            databaseHealthCheck(db),
            natsHealthCheck(nc),
            heartbeat.healthCheck(),
            reconciler.healthCheck(),
          ],
        }),
      ],
    };
  }
}
