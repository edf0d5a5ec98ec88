/** Injection tokens of the bus (their own module, so providers in the lib can use them without an import cycle). */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM = Symbol('JETSTREAM');
export const JETSTREAM_MANAGER = Symbol('JETSTREAM_MANAGER');
export const BUS_NAMES = Symbol('BUS_NAMES');
