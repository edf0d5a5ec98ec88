import { Controller, Injectable, Module } from '@nestjs/common';
import { CommandInput, type CommandMessage, OnCommand } from '@vista/bus';
import { RebuildReadModel, type RebuildReadModelV1 } from '@vista/contracts';
import { IdentityModule } from '@vista/identity';
import { HealthModule, LoggingModule } from '@vista/telemetry';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { runService } from '../run-service.js';

const env = process.env;
const schema = env.FIXTURE_SCHEMA;

@Injectable()
class ShutdownProbe {
  async beforeApplicationShutdown(): Promise<void> {
    if (env.FIXTURE_HANG_ON_SHUTDOWN === '1') await new Promise(() => undefined);
    process.stdout.write('fixture: shutdown hooks ran\n');
  }
}

/** Answers one command, echoing its reason, so a test sees the command server is connected. */
@Controller()
class FixtureCommands {
  @OnCommand(RebuildReadModel)
  async onRebuildReadModel(@CommandInput(RebuildReadModel) command: CommandMessage<RebuildReadModelV1>) {
    return { schema: `fixture:${command.payload.reason ?? ''}`, events: 0, durationMs: 0 };
  }
}

@Module({
  imports: [
    LoggingModule.forRoot({ serviceName: 'fixture', level: 'info' }),
    HealthModule.forRoot({ checks: [] }),
    // Verifies who sends its command (AUTH_* and SERVICE_SIGNING_KEY from the environment).
    IdentityModule.forRoot({ env }),
  ],
  controllers: [FixtureCommands],
  providers: [ShutdownProbe],
})
class FixtureModule {}

/** Runs the fixture service as its settings in the environment say. */
export function runFixture(tracing: TracingHandle, command?: string): Promise<void> {
  return runService({
    name: 'fixture',
    module: { module: FixtureModule },
    config: {
      DATABASE_URL: env.DATABASE_URL ?? '',
      NATS_URL: env.NATS_URL ?? '',
      VISTA_BUS_NAMESPACE: env.VISTA_BUS_NAMESPACE ?? '',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: Number(env.HTTP_PORT),
    },
    ...(schema
      ? {
          schema,
          migrations: {
            '2026-12-02T00:00_create-things': {
              up: async (db) => {
                await db.schema
                  .withSchema(schema)
                  .createTable('things')
                  .addColumn('id', 'integer', (c) => c.primaryKey())
                  .execute();
              },
            },
          },
        }
      : {}),
    commandServer: env.FIXTURE_COMMANDS === '1',
    // Above the command server's fixed 2 s wait for in-flight commands on close.
    shutdownGraceMs: 5_000,
    listeningNote: 'fixture',
    tracing,
    command,
  });
}
