import { runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { DeckModule } from './app.module.js';
import { DECK_SCHEMA, type DeckConfig } from './config/deck.config.js';
import { deckMigrations } from './migrations/deck.migrations.js';

/** Migrates the deck schema; then (unless only migrating) serves commands, health and metrics. */
export function runDeck(config: DeckConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({ name: 'deck', schema: DECK_SCHEMA, migrations: deckMigrations(DECK_SCHEMA), module: DeckModule.forRoot(config), config, tracing, command });
}
