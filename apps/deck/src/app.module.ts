import { type DynamicModule, Module } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { BusModule, NATS_CONNECTION, natsHealthCheck } from '@vista/bus';
import { DATABASE, DatabaseModule, databaseHealthCheck } from '@vista/db';
import { EventStoreModule, OutboxRelay, relayHealthCheck } from '@vista/event-store';
import { HealthModule, LoggingModule, MetricsModule } from '@vista/telemetry';
import { DECK_CONFIG, DECK_SCHEMA, type DeckConfig } from './config/deck.config.js';
import { DeckCommands } from './controllers/deck.commands.js';
import { DeckRepository } from './repositories/deck.repository.js';
import { DeckRunRepository } from './repositories/deck-run.repository.js';
import { IdempotentCommandRepository } from './repositories/idempotent-command.repository.js';
import { CollectDeckUseCase } from './use-cases/collect-deck/collect-deck.use-case.js';
import { IdempotentCommands } from './use-cases/idempotent-commands.js';
import { DeckIngestion } from './use-cases/ingest-deck/deck-ingestion.js';
import { IngestDeckUseCase } from './use-cases/ingest-deck/ingest-deck.use-case.js';
import { StartKitRunUseCase } from './use-cases/start-kit-run/start-kit-run.use-case.js';
import { RetryKitRunUseCase } from './use-cases/retry-kit-run/retry-kit-run.use-case.js';
import { StopKitRunUseCase } from './use-cases/stop-kit-run/stop-kit-run.use-case.js';
import { UploadStore } from './uploads/upload-store.js';

@Module({})
export class DeckModule {
  static forRoot(config: DeckConfig): DynamicModule {
    return {
      module: DeckModule,
      imports: [
        LoggingModule.forRoot({ serviceName: 'deck', level: config.LOG_LEVEL }),
        MetricsModule.forRoot({ serviceName: 'deck' }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, applicationName: 'vista-deck' }),
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.VISTA_BUS_NAMESPACE, name: 'deck', streamReplicas: config.VISTA_STREAM_REPLICAS }),
        EventStoreModule.forRoot({ schema: DECK_SCHEMA }),
        HealthModule.forRootAsync({
          inject: [DATABASE, NATS_CONNECTION, OutboxRelay],
          useFactory: (db: Kysely<any>, nc: NatsConnection, relay: OutboxRelay) => [databaseHealthCheck(db), natsHealthCheck(nc), relayHealthCheck(relay)],
        }),
      ],
      controllers: [DeckCommands],
      providers: [
        { provide: DECK_CONFIG, useValue: config },
        DeckRepository,
        DeckRunRepository,
        UploadStore,
        DeckIngestion,
        IngestDeckUseCase,
        StartKitRunUseCase,
        StopKitRunUseCase,
        RetryKitRunUseCase,
        CollectDeckUseCase,
        IdempotentCommandRepository,
        IdempotentCommands,
      ],
    };
  }
}
