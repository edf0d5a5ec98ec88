import type { Selectable } from 'kysely';
import type { ReadModelDatabase } from '@vista/read-model';

/**
 * Rows of the `read` schema as the gateway selects them; the tables and their types belong to
 * libs/read-model (the projector migrates and writes them).
 */
export const READ_SCHEMA = 'read';

export type ReadDatabase = ReadModelDatabase;
export type KitsTable = Selectable<ReadModelDatabase['kits']>;
export type RunsTable = Selectable<ReadModelDatabase['runs']>;
export type KitStateTable = Selectable<ReadModelDatabase['kit_state']>;
export type StateHistoryTable = Selectable<ReadModelDatabase['state_history']>;
export type DeckCollectionTable = Selectable<ReadModelDatabase['deck_collection']>;
export type DecksTable = Selectable<ReadModelDatabase['decks']>;
export type ProjectorStatusTable = Selectable<ReadModelDatabase['projector_status']>;
export type DoeStepTable = Selectable<ReadModelDatabase['doe_step']>;
export type MlStepTable = Selectable<ReadModelDatabase['ml_step']>;
export type OptimizeStepTable = Selectable<ReadModelDatabase['optimize_step']>;
export type ModelsTable = Selectable<ReadModelDatabase['models']>;
export type JobLogsTable = Selectable<ReadModelDatabase['job_logs']>;
