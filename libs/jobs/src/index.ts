export * from './run-control.js';
export * from './stage-consumer.js';
export * from './stage-job.js';
export * from './stage-runner.js';
export * from './stage-spec.js';
export * from './worker-task.js';
export * from './stage-host.js';
export * from './stage-host.factory.js';
