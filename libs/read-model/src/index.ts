// The `read` schema: the projector writes it, the gateway reads it.
export * from './read-model.migrations.js';
export * from './read-model.tables.js';
