// Lives in contracts so a service's main.ts can read its config before loading pg or NATS (tracing first).
export { DatabaseEnvironment } from '@vista/contracts';
