export * from './test-bus.js';
export * from './test-database.js';
export * from './test-environment.js';
export * from './wait-for.js';
export * from './platform-processes.js';
