import type { Migration } from 'kysely';
import { readModelMigration } from './read-model.migrations.js';
import { CREATE } from './tables/index.js';

/**
 * The read model as the gateway queries it (docs: READ_MODEL). Every row carries `position`, the
 * position of the last event applied to it, which doubles as its version. Each table's DDL is in
 * `tables/<table>.table.ts`.
 */
export const createReadModel = (schema: string): Migration => readModelMigration(CREATE, schema);
