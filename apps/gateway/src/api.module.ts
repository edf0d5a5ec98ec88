import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import multer from 'multer';
import { CommandClientLifecycle, commandClientProvider } from './commands/command-client.provider.js';
import { DeckUploadCommands } from './commands/deck-upload.commands.js';
import { JobQueueCommands } from './commands/job-queue.commands.js';
import { KitRunCommands } from './commands/kit-run.commands.js';
import { ModelCommands } from './commands/model.commands.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config.js';
import { DecksController } from './controllers/decks.controller.js';
import { JobsController } from './controllers/jobs.controller.js';
import { KitsController } from './controllers/kits.controller.js';
import { ModelsController } from './controllers/models.controller.js';
import { RunsController } from './controllers/runs.controller.js';
import { DeckQueries } from './queries/deck.queries.js';
import { JobQueries } from './queries/job.queries.js';
import { KitQueries } from './queries/kit.queries.js';
import { ModelQueries } from './queries/model.queries.js';
import { RunQueries } from './queries/run.queries.js';
import { UploadStore } from './uploads/upload.store.js';

/** The public REST API under /api/v1: queries read the `read` schema, commands go over NATS. */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        // In memory: the file goes on to the object store, never to the gateway's disk.
        storage: multer.memoryStorage(),
        limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 24 },
      }),
    }),
  ],
  controllers: [KitsController, RunsController, JobsController, ModelsController, DecksController],
  providers: [
    KitQueries,
    RunQueries,
    JobQueries,
    ModelQueries,
    DeckQueries,
    commandClientProvider,
    CommandClientLifecycle,
    KitRunCommands,
    JobQueueCommands,
    ModelCommands,
    DeckUploadCommands,
    UploadStore,
  ],
})
export class ApiModule {}
