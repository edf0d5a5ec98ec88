import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import multer from 'multer';
import { CommandClientLifecycle, commandClientProvider } from './commands/command-client.provider.js';
import { DeckUploadCommands } from './commands/deck-upload.commands.js';
import { IdentityCommands } from './commands/identity.commands.js';
import { JobQueueCommands } from './commands/job-queue.commands.js';
import { KitRunCommands } from './commands/kit-run.commands.js';
import { LotTrackingClient } from './commands/lot-tracking.client.js';
import { MetricsCommands } from './commands/metrics.commands.js';
import { ModelCommands } from './commands/model.commands.js';
import { ResourceCommands } from './commands/resource.commands.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config.js';
import { AdminDeadLettersController } from './controllers/admin-dead-letters.controller.js';
import { AuthController } from './controllers/auth.controller.js';
import { DecksController } from './controllers/decks.controller.js';
import { JobsController } from './controllers/jobs.controller.js';
import { KitsController } from './controllers/kits.controller.js';
import { BatchesController, LotsController } from './controllers/lots.controller.js';
import { MetricsController } from './controllers/metrics.controller.js';
import { ModelsController } from './controllers/models.controller.js';
import { ProjectsController } from './controllers/projects.controller.js';
import { RoleRequestsController } from './controllers/role-requests.controller.js';
import { RunsController } from './controllers/runs.controller.js';
import { ModelAccessController, ModelAccessRequestsController, SetupModelsController } from './controllers/setup-models.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { DeadLetterQueries } from './queries/dead-letter.queries.js';
import { FreshnessQueries } from './queries/freshness.queries.js';
import { DeckQueries } from './queries/deck.queries.js';
import { JobQueries } from './queries/job.queries.js';
import { KitQueries } from './queries/kit.queries.js';
import { ModelQueries } from './queries/model.queries.js';
import { OwnershipQueries } from './queries/ownership.queries.js';
import { ProjectQueries } from './queries/project.queries.js';
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
  controllers: [
    KitsController,
    RunsController,
    JobsController,
    ModelsController,
    DecksController,
    AuthController,
    UsersController,
    RoleRequestsController,
    SetupModelsController,
    ModelAccessRequestsController,
    ModelAccessController,
    MetricsController,
    AdminDeadLettersController,
    ProjectsController,
    LotsController,
    BatchesController,
  ],
  providers: [
    KitQueries,
    RunQueries,
    JobQueries,
    ModelQueries,
    DeckQueries,
    OwnershipQueries,
    DeadLetterQueries,
    commandClientProvider,
    CommandClientLifecycle,
    KitRunCommands,
    JobQueueCommands,
    ModelCommands,
    MetricsCommands,
    DeckUploadCommands,
    IdentityCommands,
    UploadStore,
    ResourceCommands,
    FreshnessQueries,
    ProjectQueries,
    LotTrackingClient,
  ],
})
export class ApiModule {}
