import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { JobsEnvironment } from '@vista/jobs';
import { ServiceEnvironment } from '@vista/service-host';

export class DeckEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3101;
  /** Folder a kit run may read its deck from (`sourcePath` is relative to it). Unset: uploads only. */
  @IsOptional() @IsString() DECK_SOURCE_DIR?: string = undefined;
  /** A deck-collection job that runs longer than this ends TIMEOUT. */
  @IsInt() @Min(100) DECK_JOB_TIMEOUT_MS = 300_000;
}

export type DeckConfig = ReturnType<typeof loadDeckConfig>;

/** The deck service's whole configuration, validated once at boot. */
export const loadDeckConfig = (env: Record<string, string | undefined>) =>
  loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, JobsEnvironment, DeckEnvironment] as const, env);

export const DECK_CONFIG = Symbol('DECK_CONFIG');
export const DECK_SCHEMA = 'deck';
