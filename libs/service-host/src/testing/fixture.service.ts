// A minimal service run by `runService`, spawned from dist by run-service.e2e.spec.ts. Settings
// come from the environment the test gives it; FIXTURE_HANG_ON_SHUTDOWN=1 makes a shutdown hook
// that never finishes.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';

const tracing = startTracing('fixture', {});
const { Controller, Injectable, Module } = await import('@nestjs/common');
const { CommandInput, OnCommand } = await import('@vista/bus');
const { RebuildReadModel } = await import('@vista/contracts');
const { HealthModule, LoggingModule } = await import('@vista/telemetry');
const { runService } = await import('../run-service.js');
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
  async onRebuildReadModel(@CommandInput(RebuildReadModel) command: { payload: { reason?: string } }) {
    return { schema: `fixture:${command.payload.reason ?? ''}`, events: 0, durationMs: 0 };
  }
}

@Module({
  controllers: [FixtureCommands],
  imports: [LoggingModule.forRoot({ serviceName: 'fixture', level: 'info' }), HealthModule.forRoot({ checks: [] })],
  providers: [ShutdownProbe],
})
class FixtureModule {}

await runService({
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
              await db.schema.withSchema(schema).createTable('things').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
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
  command: process.argv[2],
});
