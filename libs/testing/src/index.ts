export * from './test-bus.js';
export * from './test-database.js';
export * from './test-environment.js';
export * from './wait-for.js';
export * from './platform-processes.js';
export * from './prometheus-text.js';
export * from './readiness-watch.js';
