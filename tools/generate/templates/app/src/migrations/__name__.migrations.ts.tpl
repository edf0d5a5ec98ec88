import type { MigrationSet } from '@vista/db';
import { eventStoreMigrations } from '@vista/event-store';

/** The __name__ schema: its event log (and the outbox relay's checkpoint). Add its tables after it. */
export const __camel__Migrations = (schema: string): MigrationSet => ({
  ...eventStoreMigrations(schema),
});
