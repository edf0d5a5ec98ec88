import { runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { AuthModule } from './app.module.js';
import { AUTH_SCHEMA, type AuthConfig } from './config/auth.config.js';
import { authMigrations } from './migrations/auth.migrations.js';

/** Migrates the auth schema; then (unless only migrating) runs the service. */
export function runAuth(config: AuthConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({
    name: 'auth',
    schema: AUTH_SCHEMA,
    migrations: authMigrations(AUTH_SCHEMA),
    module: AuthModule.forRoot(config),
    config,
    tracing,
    command,
  });
}
