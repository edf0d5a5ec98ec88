// The `read` schema: the projector writes it, the gateway reads it. Each table is declared once, in tables/.
export * from './read-model.migrations.js';
export * from './read-model.tables.js';
export * from './tables/index.js';
