export * from './run-service.js';
export * from './service-environment.js';
export * from './service-infrastructure.module.js';
