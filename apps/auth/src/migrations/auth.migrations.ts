import type { MigrationSet } from '@vista/db';
import { eventStoreMigrations } from '@vista/event-store';
import { authSecretsMigration } from './20261203-auth-secrets.migration.js';

/** The auth schema: its event log (and the outbox relay's checkpoint), then password and refresh-token hashes and SSO logins under way. */
export const authMigrations = (schema: string): MigrationSet => ({
  ...eventStoreMigrations(schema),
  '2026-12-03T06:10_auth_secrets': authSecretsMigration(schema),
});
