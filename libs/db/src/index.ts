export * from './create-database.js';
export * from './connection-retry.js';
export * from './database.config.js';
export * from './migrate.js';
export * from './database.module.js';
