import { randomBytes } from 'node:crypto';

/** Where the real servers of the test run are (override with TEST_DATABASE_ADMIN_URL / TEST_NATS_URL). */
export const testServers = {
  databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
};

/** A short random id, so parallel and repeated runs never share a database or a stream. */
export const uniqueId = (): string => randomBytes(4).toString('hex');

/** A bus namespace of its own for one test file: `vista_t<id>`. */
export const uniqueNamespace = (): string => `vista_t${uniqueId()}`;
