export * from './access-token.verifier.js';
export * from './access.guard.js';
export * from './identity.module.js';
export * from './route-policy.js';
export * from './service-token.js';
