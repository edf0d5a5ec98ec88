export * from './event-store.js';
export * from './event-store.migrations.js';
export * from './event-store.module.js';
export * from './outbox-relay.js';
export * from './stored-event.js';
